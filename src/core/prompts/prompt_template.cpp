#include "core/prompts/prompt_template.hpp"

#include <algorithm>
#include <cctype>

#include "core/assistants/assistant_config.hpp"

namespace atrium::core::prompts {

namespace {

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

std::string Trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

Error Invalid(std::string message) { return Error(ErrorCode::kInvalidArgument, std::move(message)); }

// `required`: must be given; `non_empty`: when given, must have more than white space.
Result<void> CheckText(const std::optional<std::string>& v, bool required, bool non_empty, std::size_t max_chars,
                       const char* name) {
  using assistants::CharCount;
  if (!v) {
    if (required) return Invalid(std::string(name) + " is required");
    return Ok{};
  }
  if (non_empty && Trim(*v).empty()) return Invalid(std::string(name) + " must not be empty");
  if (CharCount(*v) > max_chars) {
    return Invalid(std::string(name) + " must be at most " + std::to_string(max_chars) + " characters");
  }
  return Ok{};
}

}  // namespace

std::vector<std::string> ExtractVariables(std::string_view text) {
  std::vector<std::string> names;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '{') {
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {  // "{{...}}": escaped, skip to the closing pair
      const std::size_t close = text.find("}}", i + 2);
      i = close == std::string_view::npos ? text.size() : close + 2;
      continue;
    }
    std::size_t j = i + 1;
    if (j < text.size() && IsNameStart(text[j])) {
      while (j < text.size() && IsNameChar(text[j])) ++j;
      if (j < text.size() && text[j] == '}') {
        std::string name(text.substr(i + 1, j - i - 1));
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
        i = j + 1;
        continue;
      }
    }
    ++i;
  }
  return names;
}

Result<void> Validate(const TemplateFields& f, bool creating) {
  if (auto r = CheckText(f.name, creating, true, kMaxTemplateNameChars, "name"); !r) return r;
  if (auto r = CheckText(f.category, creating, true, kMaxCategoryChars, "category"); !r) return r;
  if (auto r = CheckText(f.template_text, creating, true, kMaxTemplateTextChars, "template_text"); !r) return r;
  return CheckText(f.description, false, false, kMaxTemplateDescriptionChars, "description");
}

void Apply(const TemplateFields& f, PromptTemplate& t) {
  if (f.name) t.name = Trim(*f.name);
  if (f.category) {
    t.category = Trim(*f.category);
    std::transform(t.category.begin(), t.category.end(), t.category.begin(),
                   [](unsigned char c) { return std::tolower(c); });
  }
  if (f.template_text) {
    t.template_text = *f.template_text;
    t.variables = ExtractVariables(t.template_text);
  }
  if (f.description) t.description = *f.description;
  if (f.is_active) t.is_active = *f.is_active;
}

}  // namespace atrium::core::prompts
