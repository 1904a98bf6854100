#include "core/assistants/assistant_config.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace atrium::core::assistants {

namespace {

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

bool Blank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
}

Result<void> InRange(const std::optional<double>& v, double lo, double hi, const char* message) {
  if (v && (!std::isfinite(*v) || *v < lo || *v > hi)) return Invalid(message);
  return Ok{};
}

std::string NormalizeTag(std::string_view tag) {
  std::size_t b = 0;
  std::size_t e = tag.size();
  while (b < e && std::isspace(static_cast<unsigned char>(tag[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(tag[e - 1]))) --e;
  std::string out(tag.substr(b, e - b));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string_view VisibilityName(Visibility v) {
  switch (v) {
    case Visibility::kPublic:
      return "public";
    case Visibility::kTemplate:
      return "template";
    case Visibility::kPrivate:
      break;
  }
  return "private";
}

std::size_t CharCount(std::string_view utf8) {
  return static_cast<std::size_t>(
      std::count_if(utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string CutChars(std::string_view utf8, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 && chars++ == max_chars)
      return std::string(utf8.substr(0, i));
  }
  return std::string(utf8);
}

Result<void> Validate(const ConfigFields& f, bool creating) {
  if (creating && !f.name) return Invalid("name is required");
  if (f.name && (Blank(*f.name) || CharCount(*f.name) > kMaxNameChars)) {
    return Invalid("name must be 1-100 characters");
  }
  if (creating && !f.model_id) return Invalid("model_id is required");
  if (f.model_id) {
    if (Blank(*f.model_id) || f.model_id->size() > kMaxModelIdChars) {
      return Invalid("model_id must be 1-200 characters");
    }
    for (unsigned char c : *f.model_id) {
      if (c <= ' ' || c == 0x7F) return Invalid("model_id must not contain spaces or control characters");
    }
  }
  if (f.model_name && CharCount(*f.model_name) > kMaxNameChars)
    return Invalid("model_name must be at most 100 characters");
  if (f.description && CharCount(*f.description) > kMaxDescriptionChars) {
    return Invalid("description must be at most 1000 characters");
  }
  if (f.system_prompt && CharCount(*f.system_prompt) > kMaxSystemPromptChars) {
    return Invalid("system_prompt must be at most 10000 characters");
  }
  if (f.avatar && f.avatar->size() > kMaxAvatarChars) return Invalid("avatar must be at most 2048 bytes");
  if (f.parameters) {
    const Parameters& p = *f.parameters;
    if (auto r = InRange(p.temperature, 0, 2, "parameters.temperature must be between 0 and 2"); !r) return r;
    if (auto r = InRange(p.top_p, 0, 1, "parameters.top_p must be between 0 and 1"); !r) return r;
    if (auto r = InRange(p.frequency_penalty, -2, 2, "parameters.frequency_penalty must be between -2 and 2"); !r)
      return r;
    if (auto r = InRange(p.presence_penalty, -2, 2, "parameters.presence_penalty must be between -2 and 2"); !r)
      return r;
    if (p.max_tokens && (*p.max_tokens < 1 || *p.max_tokens > kMaxTokensLimit)) {
      return Invalid("parameters.max_tokens must be between 1 and 1000000");
    }
  }
  if (f.tags) {
    if (f.tags->size() > kMaxTags) return Invalid("at most 20 tags");
    for (const auto& tag : *f.tags) {
      const std::string t = NormalizeTag(tag);
      if (t.empty() || CharCount(t) > kMaxTagChars) return Invalid("each tag must be 1-50 characters");
      if (t.find(',') != std::string::npos) return Invalid("tags must not contain commas");
    }
  }
  return Ok{};
}

void Apply(const ConfigFields& f, AssistantConfig& c) {
  if (f.name) c.name = *f.name;
  if (f.model_id) c.model_id = *f.model_id;
  if (f.model_name) c.model_name = *f.model_name;
  if (f.description) c.description = *f.description;
  if (f.system_prompt) c.system_prompt = *f.system_prompt;
  if (f.avatar) c.avatar = *f.avatar;
  if (f.parameters) {  // field by field: a parameter left out keeps its value
    const Parameters& p = *f.parameters;
    if (p.temperature) c.parameters.temperature = p.temperature;
    if (p.max_tokens) c.parameters.max_tokens = p.max_tokens;
    if (p.top_p) c.parameters.top_p = p.top_p;
    if (p.frequency_penalty) c.parameters.frequency_penalty = p.frequency_penalty;
    if (p.presence_penalty) c.parameters.presence_penalty = p.presence_penalty;
  }
  if (f.tags) {
    c.tags.clear();
    for (const auto& tag : *f.tags) {
      std::string t = NormalizeTag(tag);
      if (std::find(c.tags.begin(), c.tags.end(), t) == c.tags.end()) c.tags.push_back(std::move(t));
    }
  }
}

}  // namespace atrium::core::assistants
