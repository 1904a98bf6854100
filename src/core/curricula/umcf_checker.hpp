#pragma once
// The shared machinery of the UMCF validators (document, nodes, media): paths, the
// problem list with its cap, and the type checks every field goes through. Internal to
// src/core/curricula.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/curricula/umcf_validation.hpp"

namespace atrium::core::curricula::detail {

enum class Need { kRequired, kOptional };

std::string Join(std::string_view parent, std::string_view key);
std::string Index(std::string_view parent, std::size_t i);

// A JSON number as a double (integers included); nullopt for anything else.
std::optional<double> NumberOf(const boost::json::value& v);

// Ids name nodes, segments and media in URLs and asset maps: [A-Za-z0-9._-] only.
bool IsIdText(std::string_view s);

class UmcfChecker {
 public:
  explicit UmcfChecker(const UmcfLimits& limits) : limits_(limits) {}

  const UmcfLimits& limits() const { return limits_; }
  void Report(std::string path, std::string_view code, std::string message);
  std::vector<UmcfProblem> Take() { return std::move(problems_); }

  // The field key of o when present and not null; reports missing_field when required.
  const boost::json::value* Field(const boost::json::object& o, std::string_view key, std::string_view parent,
                                  Need need);
  // The field as an object / array / string / bool; wrong_type when it is something else.
  const boost::json::object* Object(const boost::json::object& o, std::string_view key, std::string_view parent,
                                    Need need);
  const boost::json::array* Array(const boost::json::object& o, std::string_view key, std::string_view parent,
                                  Need need);
  std::optional<std::string_view> String(const boost::json::object& o, std::string_view key, std::string_view parent,
                                         Need need);
  std::optional<bool> Bool(const boost::json::object& o, std::string_view key, std::string_view parent, Need need);
  // A number within [min, max]; invalid_value outside.
  std::optional<double> Number(const boost::json::object& o, std::string_view key, std::string_view parent, Need need,
                               double min, double max);
  // A non-empty string of at most max_bytes: invalid_value when empty, too_large past it.
  std::optional<std::string_view> Text(const boost::json::object& o, std::string_view key, std::string_view parent,
                                       Need need, std::size_t max_bytes);
  // An id string: non-empty, at most max_id_bytes, IsIdText.
  std::optional<std::string_view> Id(const boost::json::object& o, std::string_view key, std::string_view parent,
                                     Need need);
  // A string that must be one of allowed.
  std::optional<std::string_view> OneOf(const boost::json::object& o, std::string_view key, std::string_view parent,
                                        Need need, std::span<const std::string_view> allowed);
  // An array whose every element is a string.
  void Strings(const boost::json::object& o, std::string_view key, std::string_view parent, Need need);
  // v itself as an object, wrong_type at path otherwise.
  const boost::json::object* AsObject(const boost::json::value& v, std::string_view path);

  void WrongType(std::string_view path, std::string_view expected, const boost::json::value& got);

 private:
  UmcfLimits limits_;
  std::vector<UmcfProblem> problems_;
};

}  // namespace atrium::core::curricula::detail
