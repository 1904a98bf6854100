#pragma once
// Reusable prompt texts with `{name}` placeholders, curated by admins and picked by
// users, grouped by category.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::prompts {

struct PromptTemplate {
  std::string id;
  std::string name;
  std::string category;
  std::string template_text;
  std::vector<std::string> variables;  // always ExtractVariables(template_text)
  std::string description;
  std::int64_t usage_count = 0;
  bool is_active = true;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
};

// What an admin may set; absent fields keep their value on update.
struct TemplateFields {
  std::optional<std::string> name;
  std::optional<std::string> category;
  std::optional<std::string> template_text;
  std::optional<std::string> description;
  std::optional<bool> is_active;
};

inline constexpr std::size_t kMaxTemplateNameChars = 100;
inline constexpr std::size_t kMaxCategoryChars = 50;
inline constexpr std::size_t kMaxTemplateTextChars = 10000;
inline constexpr std::size_t kMaxTemplateDescriptionChars = 1000;

// The names of the `{name}` placeholders in `text`, in order of first appearance, each
// once. A name is a letter or underscore followed by letters, digits or underscores;
// braces around anything else (JSON, `{ }`, `{1}`) are plain text, and `{{name}}` is
// an escaped literal, not a placeholder.
std::vector<std::string> ExtractVariables(std::string_view text);

// kInvalidArgument naming the field; with `creating`, name, category and
// template_text are required. Categories are lower-cased by Apply.
Result<void> Validate(const TemplateFields& fields, bool creating);
void Apply(const TemplateFields& fields, PromptTemplate& t);

}  // namespace atrium::core::prompts
