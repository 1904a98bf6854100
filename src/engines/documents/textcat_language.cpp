#include "engines/documents/textcat_language.hpp"

#include <libexttextcat/textcat.h>

#include "core/documents/utf8.hpp"

namespace atrium::engines::documents {

namespace {

// Enough for textcat's n-gram profile; more only costs time.
constexpr std::size_t kSampleBytes = 8u << 10;
// Letters below which a guess is noise: a word or two fits a dozen languages.
constexpr std::size_t kMinLetters = 40;

// ASCII letters and every non-ASCII character (most scripts' letters).
std::size_t Letters(std::string_view text) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0xC0) ++n;
  }
  return n;
}

// "en--utf8", "zh-CN-utf8", "sh--utf8" -> "en", "zh", "sr"; empty for a language
// without a two-letter code ("ace--utf8").
std::string IsoCode(std::string_view name) {
  const std::string_view code = name.substr(0, name.find('-'));
  if (code.size() != 2) return {};
  if (code == "sh") return "sr";  // the retired code of Serbo-Croatian: textcat's Serbian in Latin script
  return std::string(code);
}

}  // namespace

core::Result<std::unique_ptr<TextcatLanguage>> TextcatLanguage::Create(const std::filesystem::path& data_dir) {
  const std::string conf = (data_dir / "fpdb.conf").string();
  // textcat joins the prefix and each file name as they are.
  const std::string prefix = data_dir.string() + "/";
  void* handle = special_textcat_Init(conf.c_str(), prefix.c_str());
  if (handle == nullptr) {
    return core::Error(core::ErrorCode::kUnavailable, "Language detection is not available",
                       "libexttextcat cannot load " + conf);
  }
  textcat_SetProperty(handle, TCPROP_UTF8AWARE, TC_TRUE);
  return std::unique_ptr<TextcatLanguage>(new TextcatLanguage(handle));
}

TextcatLanguage::~TextcatLanguage() { textcat_Done(handle_); }

std::string TextcatLanguage::Detect(std::string_view text) const {
  text = text.substr(0, core::documents::CharBoundaryAtOrBefore(text, kSampleBytes));
  if (Letters(text) < kMinLetters) return {};
  std::lock_guard lock(mutex_);
  candidate_t* candidates = textcat_GetClassifyFullOutput(handle_);
  if (candidates == nullptr) return {};
  const int count = textcat_ClassifyFull(handle_, text.data(), text.size(), candidates);
  std::string code;
  if (count >= 1) {
    code = IsoCode(candidates[0].name);
    // Close runners-up must agree (Serbian in two scripts, Chinese of two countries);
    // another language among them means textcat is not sure.
    for (int i = 1; i < count && !code.empty(); ++i) {
      if (IsoCode(candidates[i].name) != code) code.clear();
    }
  }
  textcat_ReleaseClassifyFullOutput(handle_, candidates);
  return code;
}

}  // namespace atrium::engines::documents
