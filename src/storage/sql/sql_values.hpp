#pragma once
// Small conversions between the core's types and SQL cells, shared by the repositories.

#include <cstdint>
#include <optional>
#include <string>

#include "storage/value.hpp"

namespace atrium::storage::sql {

inline Value Opt(const std::optional<std::string>& s) { return s ? Value{*s} : Value{Null{}}; }
inline Value Opt(const std::optional<std::int64_t>& n) { return n ? Value{*n} : Value{Null{}}; }
inline Value Opt(const std::optional<double>& d) { return d ? Value{*d} : Value{Null{}}; }
inline Value Bool(bool b) { return Value{std::int64_t{b ? 1 : 0}}; }
inline bool AsBool(const Value& v) { return AsInt(v).value_or(0) != 0; }
inline std::string Text(const Value& v, std::string fallback = {}) { return AsText(v).value_or(std::move(fallback)); }
inline std::int64_t Int(const Value& v, std::int64_t fallback = 0) { return AsInt(v).value_or(fallback); }

}  // namespace atrium::storage::sql
