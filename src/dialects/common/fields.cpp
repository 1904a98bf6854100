#include "dialects/common/fields.hpp"

namespace atrium::dialects {

namespace {

template <class T, class Is, class As>
Field<T> Read(const boost::json::object& o, std::string_view key, Is is, As as) {
  const auto* v = o.if_contains(key);
  if (v == nullptr) return {FieldState::kMissing};
  if (v->is_null()) return {FieldState::kNull};
  if (!is(*v)) return {FieldState::kWrongType};
  return {FieldState::kPresent, as(*v)};
}

}  // namespace

Field<std::string> StringField(const boost::json::object& o, std::string_view key) {
  return Read<std::string>(
      o, key, [](const boost::json::value& v) { return v.is_string(); },
      [](const boost::json::value& v) { return std::string(v.as_string()); });
}

Field<bool> BoolField(const boost::json::object& o, std::string_view key) {
  return Read<bool>(
      o, key, [](const boost::json::value& v) { return v.is_bool(); },
      [](const boost::json::value& v) { return v.as_bool(); });
}

std::optional<std::string> StringIfAny(const boost::json::object* o, std::string_view key) {
  if (o == nullptr) return std::nullopt;
  auto field = StringField(*o, key);
  if (!field.present()) return std::nullopt;
  return std::move(field.value);
}

}  // namespace atrium::dialects
