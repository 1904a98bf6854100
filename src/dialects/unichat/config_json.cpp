#include "dialects/unichat/config_json.hpp"

#include "dialects/common/fields.hpp"
#include "dialects/unichat/avatar.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;
using core::assistants::AssistantConfig;
using core::assistants::ConfigFields;
using core::assistants::Parameters;

http::ApiError Bad(std::string message) { return http::MakeError(http::ErrorKind::kValidation, std::move(message)); }

json::value OptNumber(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::value Strings(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return a;
}

// A string field: absent leaves `out` unset; null is "" where `nullable`.
std::optional<http::ApiError> ReadString(const json::object& o, const char* key, bool nullable,
                                         std::optional<std::string>& out) {
  auto field = StringField(o, key);
  if (field.state == FieldState::kMissing) return std::nullopt;
  if (field.state == FieldState::kNull && nullable) {
    out = std::string();
    return std::nullopt;
  }
  if (!field.present()) return Bad(std::string(key) + " must be a string");
  out = std::move(field.value);
  return std::nullopt;
}

std::optional<http::ApiError> ReadNumber(const json::object& o, const char* key, std::optional<double>& out) {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_number()) return Bad(std::string("parameters.") + key + " must be a number");
  out = v->to_number<double>();
  return std::nullopt;
}

http::Result<Parameters> ReadParameters(const json::value& v) {
  if (!v.is_object()) return Bad("parameters must be an object");
  const auto& o = v.as_object();
  Parameters p;
  for (auto [key, slot] :
       {std::pair{"temperature", &p.temperature}, std::pair{"top_p", &p.top_p},
        std::pair{"frequency_penalty", &p.frequency_penalty}, std::pair{"presence_penalty", &p.presence_penalty}}) {
    if (auto e = ReadNumber(o, key, *slot)) return std::move(*e);
  }
  if (const auto* m = o.if_contains("max_tokens"); m != nullptr && !m->is_null()) {
    if (m->is_int64()) {
      p.max_tokens = m->as_int64();
    } else if (m->is_uint64()) {
      p.max_tokens = core::assistants::kMaxTokensLimit + 1;  // out of range either way
    } else if (m->is_double() && m->as_double() == static_cast<double>(static_cast<std::int64_t>(m->as_double()))) {
      p.max_tokens = static_cast<std::int64_t>(m->as_double());
    } else {
      return Bad("parameters.max_tokens must be an integer");
    }
  }
  return p;
}

}  // namespace

json::object ConfigJson(const AssistantConfig& c) {
  const Parameters& p = c.parameters;
  return {{"id", c.id},
          {"name", c.name},
          {"model_id", c.model_id},
          {"model_name", c.model_name},
          {"owner_id", c.owner_id},
          {"visibility", core::assistants::VisibilityName(c.visibility)},
          {"description", c.description},
          {"system_prompt", c.system_prompt},
          {"avatar", c.avatar},
          {"parameters",
           {{"temperature", OptNumber(p.temperature)},
            {"max_tokens", p.max_tokens ? json::value(*p.max_tokens) : json::value(nullptr)},
            {"top_p", OptNumber(p.top_p)},
            {"frequency_penalty", OptNumber(p.frequency_penalty)},
            {"presence_penalty", OptNumber(p.presence_penalty)}}},
          {"tags", Strings(c.tags)},
          {"stats", {{"uses_count", c.uses_count}, {"saves_count", c.saves_count}}},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at}};
}

json::array ConfigsJson(const std::vector<AssistantConfig>& configs) {
  json::array a;
  for (const auto& c : configs) a.emplace_back(ConfigJson(c));
  return a;
}

http::Result<ConfigFields> ParseConfigFields(const json::object& o, bool creating) {
  ConfigFields f;
  if (auto e = ReadString(o, "name", false, f.name)) return std::move(*e);
  if (auto e = ReadString(o, "model_id", false, f.model_id)) return std::move(*e);
  for (auto [key, slot] : {std::pair{"model_name", &f.model_name}, std::pair{"description", &f.description},
                           std::pair{"system_prompt", &f.system_prompt}, std::pair{"avatar", &f.avatar}}) {
    if (auto e = ReadString(o, key, true, *slot)) return std::move(*e);
  }
  if (f.avatar && !f.avatar->empty() && !IsSafeAvatarUrl(*f.avatar) && !IsAvatarGlyph(*f.avatar)) {
    return Bad("avatar must be an http(s) URL, an emoji or initials (at most 16 characters)");
  }
  if (const auto* v = o.if_contains("parameters"); v != nullptr && !v->is_null()) {
    auto p = ReadParameters(*v);
    if (!p) return std::move(p).error();
    f.parameters = *p;
  }
  if (creating) {
    Parameters p = f.parameters.value_or(Parameters{});
    if (!p.temperature) p.temperature = 0.7;
    if (!p.max_tokens) p.max_tokens = 2048;
    if (!p.top_p) p.top_p = 1.0;
    if (!p.frequency_penalty) p.frequency_penalty = 0.0;
    if (!p.presence_penalty) p.presence_penalty = 0.0;
    f.parameters = p;
  }
  if (const auto* v = o.if_contains("tags"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) return Bad("tags must be an array of strings");
    std::vector<std::string> tags;
    for (const auto& t : v->as_array()) {
      if (!t.is_string()) return Bad("tags must be an array of strings");
      tags.emplace_back(t.as_string());
    }
    f.tags = std::move(tags);
  }
  return f;
}

json::object PromptTemplateJson(const core::prompts::PromptTemplate& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"category", t.category},
          {"template_text", t.template_text},
          {"variables", Strings(t.variables)},
          {"description", t.description},
          {"usage_count", t.usage_count},
          {"is_active", t.is_active},
          {"created_at", t.created_at},
          {"updated_at", t.updated_at}};
}

http::Result<core::prompts::TemplateFields> ParseTemplateFields(const json::object& o) {
  core::prompts::TemplateFields f;
  if (auto e = ReadString(o, "name", false, f.name)) return std::move(*e);
  if (auto e = ReadString(o, "category", false, f.category)) return std::move(*e);
  if (auto e = ReadString(o, "template_text", false, f.template_text)) return std::move(*e);
  if (auto e = ReadString(o, "description", true, f.description)) return std::move(*e);
  if (const auto* v = o.if_contains("is_active"); v != nullptr && !v->is_null()) {
    if (!v->is_bool()) return Bad("is_active must be true or false");
    f.is_active = v->as_bool();
  }
  if (const auto* v = o.if_contains("variables"); v != nullptr && !v->is_null()) {
    // Accepted for compatibility; the stored list is always read from template_text.
    if (!v->is_array()) return Bad("variables must be an array of strings");
    for (const auto& name : v->as_array()) {
      if (!name.is_string()) return Bad("variables must be an array of strings");
    }
  }
  return f;
}

}  // namespace atrium::dialects::unichat
