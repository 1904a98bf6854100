#include "core/curricula/umcf_checker.hpp"

#include <algorithm>

namespace atrium::core::curricula::detail {

namespace json = boost::json;

namespace {

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

// Limits are whole numbers or simple fractions; print them the way a person writes them.
std::string NumberText(double d) {
  if (d == static_cast<double>(static_cast<long long>(d))) return std::to_string(static_cast<long long>(d));
  std::string s = std::to_string(d);
  while (!s.empty() && s.back() == '0') s.pop_back();
  return s;
}

std::string Quoted(std::string_view path) { return path.empty() ? std::string("the document") : std::string(path); }

}  // namespace

std::string Join(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string Index(std::string_view parent, std::size_t i) {
  return std::string(parent) + "[" + std::to_string(i) + "]";
}

std::optional<double> NumberOf(const json::value& v) {
  if (const auto* d = v.if_double()) return *d;
  if (const auto* i = v.if_int64()) return static_cast<double>(*i);
  if (const auto* u = v.if_uint64()) return static_cast<double>(*u);
  return std::nullopt;
}

bool IsIdText(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

void UmcfChecker::Report(std::string path, std::string_view code, std::string message) {
  // A hostile document could hold millions of faults; the first hundred are enough to fix.
  if (problems_.size() >= limits_.max_problems) return;
  problems_.push_back(UmcfProblem{std::move(path), std::string(code), std::move(message)});
}

void UmcfChecker::WrongType(std::string_view path, std::string_view expected, const json::value& got) {
  Report(std::string(path), kUmcfWrongType,
         Quoted(path) + " must be " + std::string(expected) + ", not " + std::string(KindName(got)));
}

const json::value* UmcfChecker::Field(const json::object& o, std::string_view key, std::string_view parent, Need need) {
  const json::value* v = o.if_contains(key);
  // null counts as absent: exporters write "description": null for an unset field.
  if (v != nullptr && !v->is_null()) return v;
  if (need == Need::kRequired) {
    const std::string path = Join(parent, key);
    Report(path, kUmcfMissingField, path + " is required");
  }
  return nullptr;
}

const json::object* UmcfChecker::AsObject(const json::value& v, std::string_view path) {
  if (const auto* o = v.if_object()) return o;
  WrongType(path, "an object", v);
  return nullptr;
}

const json::object* UmcfChecker::Object(const json::object& o, std::string_view key, std::string_view parent,
                                        Need need) {
  const json::value* v = Field(o, key, parent, need);
  return v == nullptr ? nullptr : AsObject(*v, Join(parent, key));
}

const json::array* UmcfChecker::Array(const json::object& o, std::string_view key, std::string_view parent, Need need) {
  const json::value* v = Field(o, key, parent, need);
  if (v == nullptr) return nullptr;
  if (const auto* a = v->if_array()) return a;
  WrongType(Join(parent, key), "an array", *v);
  return nullptr;
}

std::optional<std::string_view> UmcfChecker::String(const json::object& o, std::string_view key,
                                                    std::string_view parent, Need need) {
  const json::value* v = Field(o, key, parent, need);
  if (v == nullptr) return std::nullopt;
  if (const auto* s = v->if_string()) return std::string_view(*s);
  WrongType(Join(parent, key), "a string", *v);
  return std::nullopt;
}

std::optional<bool> UmcfChecker::Bool(const json::object& o, std::string_view key, std::string_view parent, Need need) {
  const json::value* v = Field(o, key, parent, need);
  if (v == nullptr) return std::nullopt;
  if (const auto* b = v->if_bool()) return *b;
  WrongType(Join(parent, key), "a boolean", *v);
  return std::nullopt;
}

std::optional<double> UmcfChecker::Number(const json::object& o, std::string_view key, std::string_view parent,
                                          Need need, double min, double max) {
  const json::value* v = Field(o, key, parent, need);
  if (v == nullptr) return std::nullopt;
  const std::optional<double> n = NumberOf(*v);
  const std::string path = Join(parent, key);
  if (!n) {
    WrongType(path, "a number", *v);
    return std::nullopt;
  }
  if (!(*n >= min && *n <= max)) {
    Report(path, kUmcfInvalidValue, path + " must be between " + NumberText(min) + " and " + NumberText(max));
    return std::nullopt;
  }
  return n;
}

std::optional<std::string_view> UmcfChecker::Text(const json::object& o, std::string_view key, std::string_view parent,
                                                  Need need, std::size_t max_bytes) {
  const std::optional<std::string_view> s = String(o, key, parent, need);
  if (!s) return std::nullopt;
  const std::string path = Join(parent, key);
  if (s->empty()) {
    Report(path, kUmcfInvalidValue, path + " must not be empty");
    return std::nullopt;
  }
  if (s->size() > max_bytes) {
    Report(path, kUmcfTooLarge, path + " must be at most " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string_view> UmcfChecker::Id(const json::object& o, std::string_view key, std::string_view parent,
                                                Need need) {
  const std::optional<std::string_view> s = Text(o, key, parent, need, limits_.max_id_bytes);
  if (!s) return std::nullopt;
  if (!IsIdText(*s)) {
    const std::string path = Join(parent, key);
    Report(path, kUmcfInvalidValue, path + " may hold only letters, digits, '.', '_' and '-'");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string_view> UmcfChecker::OneOf(const json::object& o, std::string_view key, std::string_view parent,
                                                   Need need, std::span<const std::string_view> allowed) {
  const std::optional<std::string_view> s = String(o, key, parent, need);
  if (!s) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) return s;
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  const std::string path = Join(parent, key);
  Report(path, kUmcfInvalidValue, path + " must be one of: " + list);
  return std::nullopt;
}

void UmcfChecker::Strings(const json::object& o, std::string_view key, std::string_view parent, Need need) {
  const json::array* a = Array(o, key, parent, need);
  if (a == nullptr) return;
  const std::string path = Join(parent, key);
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (!(*a)[i].is_string()) WrongType(Index(path, i), "a string", (*a)[i]);
  }
}

}  // namespace atrium::core::curricula::detail
