#pragma once
// Every dialect Atrium serves, in start-up order: the one list that config (sections,
// default ports, port clashes), Serve (sites and listeners) and the tests loop over.
// Adding a dialect: its folder under src/dialects/, its Deps in app/dialect_factory.cpp,
// and one line here. Plain constants: the config loader reads them without linking a
// dialect.

#include <array>

#include "dialects/mira/info.hpp"
#include "dialects/openai/info.hpp"
#include "dialects/pisovereign/info.hpp"
#include "dialects/secondbrain/info.hpp"
#include "dialects/unamentis/info.hpp"
#include "dialects/unichat/info.hpp"

namespace atrium::app {

inline constexpr std::array<const dialects::DialectInfo*, 6> kDialects = {
    &dialects::unamentis::kInfo,   &dialects::unichat::kInfo, &dialects::secondbrain::kInfo,
    &dialects::pisovereign::kInfo, &dialects::mira::kInfo,    &dialects::openai::kInfo,
};

}  // namespace atrium::app
