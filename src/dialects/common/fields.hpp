#pragma once
// Reading one field of a JSON request body, the same way in every dialect: how it was
// found (missing, null, of another type, present) and its value. What each case means
// (allowed, which error, which text) stays each dialect's: the readers build no errors.
// A display name's length has one measure (core/identity/display_name.hpp).

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace atrium::dialects {

enum class FieldState {
  kMissing,    // no such key
  kNull,       // the key, with null
  kWrongType,  // the key, with a value of another type
  kPresent,    // the key, with a value of the type asked for: `value` holds it
};

template <class T>
struct Field {
  FieldState state = FieldState::kMissing;
  T value{};

  // Missing or null: "not given" in most dialects.
  bool absent() const { return state == FieldState::kMissing || state == FieldState::kNull; }
  bool present() const { return state == FieldState::kPresent; }
  bool wrong_type() const { return state == FieldState::kWrongType; }
};

Field<std::string> StringField(const boost::json::object& o, std::string_view key);
Field<bool> BoolField(const boost::json::object& o, std::string_view key);

// The field's text when it is a string; nullopt when it is missing, null or not a
// string (for bodies read leniently, where a wrong type counts as not given).
std::optional<std::string> StringIfAny(const boost::json::object* o, std::string_view key);
inline std::optional<std::string> StringIfAny(const boost::json::object& o, std::string_view key) {
  return StringIfAny(&o, key);
}

}  // namespace atrium::dialects
