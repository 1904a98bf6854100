#pragma once
// An assistant configuration: a named model with its system prompt and sampling
// parameters, owned by a user. Private ones are their owner's; public ones are shown in
// the gallery; templates are made by admins for everyone to start from. Chats name one
// to know which model and prompt to use.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::assistants {

enum class Visibility { kPrivate, kPublic, kTemplate };

std::string_view VisibilityName(Visibility v);

// Sampling parameters; every field is optional (absent: the upstream's default).
struct Parameters {
  std::optional<double> temperature;        // 0 - 2
  std::optional<std::int64_t> max_tokens;   // 1 - kMaxTokensLimit
  std::optional<double> top_p;              // 0 - 1
  std::optional<double> frequency_penalty;  // -2 - 2
  std::optional<double> presence_penalty;   // -2 - 2

  bool operator==(const Parameters&) const = default;
};

struct AssistantConfig {
  std::string id;
  std::string owner_id;
  std::string name;
  std::string model_id;
  std::string model_name;
  std::string description;
  std::string system_prompt;
  std::string avatar;
  Parameters parameters;
  std::vector<std::string> tags;
  Visibility visibility = Visibility::kPrivate;
  std::int64_t uses_count = 0;
  std::int64_t saves_count = 0;
  std::string created_at;
  std::string updated_at;
};

// What a client may set. Absent fields keep their stored value on update (and take the
// defaults on create).
struct ConfigFields {
  std::optional<std::string> name;
  std::optional<std::string> model_id;
  std::optional<std::string> model_name;
  std::optional<std::string> description;
  std::optional<std::string> system_prompt;
  std::optional<std::string> avatar;
  std::optional<Parameters> parameters;
  std::optional<std::vector<std::string>> tags;
};

inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxModelIdChars = 200;
inline constexpr std::size_t kMaxDescriptionChars = 1000;
inline constexpr std::size_t kMaxSystemPromptChars = 10000;
inline constexpr std::size_t kMaxAvatarChars = 2048;  // an emoji or an image URL
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagChars = 50;
inline constexpr std::int64_t kMaxTokensLimit = 1'000'000;

// Counts Unicode code points of UTF-8 text (what a person calls characters).
std::size_t CharCount(std::string_view utf8);
// The first `max_chars` code points of `utf8`.
std::string CutChars(std::string_view utf8, std::size_t max_chars);

// Checks the fields a client set (kInvalidArgument naming the field and the rule).
// With `creating`, name and model_id are required.
Result<void> Validate(const ConfigFields& fields, bool creating);

// Writes the set fields into `config` (tags trimmed, lower-cased and de-duplicated;
// parameters one by one, so a partial `parameters` keeps the others).
void Apply(const ConfigFields& fields, AssistantConfig& config);

}  // namespace atrium::core::assistants
