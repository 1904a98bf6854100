#pragma once
// Which language a document is written in, from a sample of its text. The core owns the
// interface; a driver (src/engines/documents/textcat_language) implements it.

#include <string>
#include <string_view>

namespace atrium::core::documents {

class LanguageDetector {
 public:
  virtual ~LanguageDetector() = default;
  // An ISO 639-1 code ("en", "de", "fr", ...), or empty when the text is too short, the
  // guess is not clear, or the language has no two-letter code. Reads at most a few
  // kilobytes of `text` (a sample is enough). Thread-safe.
  virtual std::string Detect(std::string_view text) const = 0;
};

}  // namespace atrium::core::documents
