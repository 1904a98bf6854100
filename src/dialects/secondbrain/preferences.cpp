#include "dialects/secondbrain/preferences.hpp"

#include <boost/json/parse.hpp>

namespace atrium::dialects::secondbrain {

namespace json = boost::json;

namespace {

enum class Kind { kBool, kString, kObject, kTemperature, kMaxTokens };

struct KnownKey {
  std::string_view path;
  Kind kind;
};

// Every key the spec documents, and autoSaveMemories (Atrium's). Strings are bounded so
// one field cannot take the whole document.
constexpr KnownKey kKnown[] = {
    {"theme", Kind::kString},
    {"voiceEnabled", Kind::kBool},
    {"defaultModel", Kind::kString},
    {"memoryRetention", Kind::kString},
    {"privacyMode", Kind::kBool},
    {"language", Kind::kString},
    {"notifications", Kind::kObject},
    {"notifications.email", Kind::kBool},
    {"notifications.push", Kind::kBool},
    {"chat", Kind::kObject},
    {"chat.temperature", Kind::kTemperature},
    {"chat.maxTokens", Kind::kMaxTokens},
    {"chat.streamResponses", Kind::kBool},
    {"autoSaveMemories", Kind::kBool},
};

constexpr std::size_t kMaxStringLength = 200;
constexpr std::int64_t kMaxTokensCap = 1'000'000;

const KnownKey* Find(std::string_view path) {
  for (const auto& k : kKnown) {
    if (k.path == path) return &k;
  }
  return nullptr;
}

std::optional<std::string> Check(Kind kind, const json::value& v) {
  switch (kind) {
    case Kind::kBool:
      if (!v.is_bool()) return "must be a boolean";
      return std::nullopt;
    case Kind::kString:
      if (!v.is_string()) return "must be a string";
      if (v.as_string().empty() || v.as_string().size() > kMaxStringLength) {
        return "must be 1-" + std::to_string(kMaxStringLength) + " characters";
      }
      return std::nullopt;
    case Kind::kObject:
      if (!v.is_object()) return "must be an object";
      return std::nullopt;
    case Kind::kTemperature: {
      if (!v.is_number()) return "must be a number between 0 and 2";
      const double t = v.to_number<double>();
      if (!(t >= 0.0 && t <= 2.0)) return "must be a number between 0 and 2";
      return std::nullopt;
    }
    case Kind::kMaxTokens: {
      const bool integral = v.is_int64() || v.is_uint64();
      const bool in_range = (v.is_int64() && v.as_int64() >= 1 && v.as_int64() <= kMaxTokensCap) ||
                            (v.is_uint64() && v.as_uint64() >= 1 && v.as_uint64() <= kMaxTokensCap);
      if (!integral || !in_range) return "must be an integer between 1 and " + std::to_string(kMaxTokensCap);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::optional<PreferenceError> Validate(const json::object& patch, const std::string& prefix) {
  for (const auto& [key, value] : patch) {
    const std::string path = prefix + std::string(key);
    if (value.is_null()) continue;
    const KnownKey* known = Find(path);
    if (known == nullptr) continue;  // free-form: stored as given
    if (auto problem = Check(known->kind, value)) return PreferenceError{path, path + " " + *problem};
    if (known->kind == Kind::kObject) {
      if (auto nested = Validate(value.as_object(), path + ".")) return nested;
    }
  }
  return std::nullopt;
}

}  // namespace

json::object DefaultPreferences() {
  return json::object{
      {"theme", "dark"},
      {"voiceEnabled", true},
      {"defaultModel", "mistral-7b-instruct"},
      {"memoryRetention", "high"},
      {"privacyMode", false},
      {"language", "en"},
      {"notifications", json::object{{"email", false}, {"push", false}}},
      {"chat", json::object{{"temperature", 0.7}, {"maxTokens", 512}, {"streamResponses", true}}},
  };
}

void MergePatch(json::object& target, const json::object& patch) {
  for (const auto& [key, value] : patch) {
    if (value.is_null()) {
      target.erase(key);
      continue;
    }
    if (value.is_object()) {
      json::value& slot = target[key];
      if (!slot.is_object()) slot = json::object{};  // RFC 7386: a non-object is replaced
      MergePatch(slot.as_object(), value.as_object());
      continue;
    }
    target[key] = value;
  }
}

json::object ParsePreferences(std::string_view stored) {
  boost::system::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

json::object EffectivePreferences(const json::object& stored) {
  json::object out = DefaultPreferences();
  MergePatch(out, stored);
  return out;
}

std::optional<PreferenceError> ValidatePreferencePatch(const json::object& patch) { return Validate(patch, ""); }

bool AutoSaveMemories(const json::object& preferences) {
  const auto* v = preferences.if_contains("autoSaveMemories");
  return v == nullptr || !v->is_bool() || v->as_bool();
}

}  // namespace atrium::dialects::secondbrain
