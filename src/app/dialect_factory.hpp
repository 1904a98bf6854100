#pragma once
// The one factory that gives each dialect its narrow Deps from the app's core objects.
// Serve, the openapi command and the dialect test harness all build dialects here, so
// a test site is wired exactly as a served one.

#include <memory>

#include "app/core_services.hpp"
#include "core/result.hpp"
#include "dialects/common/deps.hpp"
#include "dialects/dialect.hpp"
#include "dialects/mira/deps.hpp"
#include "dialects/openai/deps.hpp"
#include "dialects/pisovereign/deps.hpp"
#include "dialects/secondbrain/deps.hpp"
#include "dialects/unamentis/deps.hpp"
#include "dialects/unichat/deps.hpp"

namespace atrium::app {

dialects::CommonDeps CommonDepsOf(const CoreServices& core);
dialects::unamentis::Deps UnamentisDeps(const CoreServices& core);
dialects::unichat::Deps UnichatDeps(const CoreServices& core);
dialects::secondbrain::Deps SecondbrainDeps(const CoreServices& core);
dialects::pisovereign::Deps PisovereignDeps(const CoreServices& core);
dialects::mira::Deps MiraDeps(const CoreServices& core);
dialects::openai::Deps OpenAiDeps(const CoreServices& core);

// The module of a dialect in kDialects (app/dialect_list.hpp), its Deps built from
// `core`, which must outlive it. A dialect listed without a module here is an error
// (kInternal): a programming mistake the dialect tests catch.
core::Result<std::unique_ptr<dialects::Dialect>> MakeDialect(const dialects::DialectInfo& info,
                                                             const CoreServices& core);

}  // namespace atrium::app
