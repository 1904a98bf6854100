#pragma once
// LanguageDetector on Debian's libexttextcat: n-gram fingerprints of about 150 languages
// (the LibreOffice set, /usr/share/libexttextcat). Text with fewer than 40 letters gets
// no guess (a word or two fits a dozen languages). A guess counts only when textcat names
// one language, or a best one whose runner-up is the same language in another script or
// country, and when that language has an ISO 639-1 code.

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "core/documents/language.hpp"
#include "core/result.hpp"

namespace atrium::engines::documents {

class TextcatLanguage final : public core::documents::LanguageDetector {
 public:
  // Loads every fingerprint listed in `data_dir`/fpdb.conf (once: it takes a moment).
  // kUnavailable when the data is missing or unreadable.
  static core::Result<std::unique_ptr<TextcatLanguage>> Create(
      const std::filesystem::path& data_dir = "/usr/share/libexttextcat");
  ~TextcatLanguage() override;
  TextcatLanguage(const TextcatLanguage&) = delete;
  TextcatLanguage& operator=(const TextcatLanguage&) = delete;

  std::string Detect(std::string_view text) const override;

 private:
  explicit TextcatLanguage(void* handle) : handle_(handle) {}

  void* handle_;              // textcat's classifier; its output buffer is shared, hence
  mutable std::mutex mutex_;  // one classification at a time
};

}  // namespace atrium::engines::documents
