#pragma once
// ConversationPdfRenderer on Cairo's PDF surface, with Pango laying out the text
// (HarfBuzz shaping, bidi, line breaking) and fontconfig choosing fonts: the configured
// families in order, then whatever installed font covers a character (DejaVu Sans for
// Latin, Greek, Cyrillic and Arabic, Droid Sans Fallback for Chinese and Japanese,
// NanumGothic for Korean: see scripts/install-deps and docs/export.md). Fonts are
// embedded as subsets.
//
// Layout: A4 portrait, a title and metadata header on the first page, then each message
// under a role and time heading, its text wrapped at word boundaries, or anywhere within
// a word too long for a line (URLs), without inserted hyphens. A message that does not
// fit continues on the next page, line by line; the page number is in every footer.

#include <memory>
#include <string>

#include "core/export/pdf_renderer.hpp"

namespace atrium::engines::exports {

struct PdfPageOptions {
  double width_pt = 595.276;  // A4: 210 x 297 mm
  double height_pt = 841.89;
  double margin_pt = 56.69;  // 20 mm on every side; the footer sits in the bottom one
  // A Pango family list, tried in order for each character, then fontconfig's fallback.
  // TrueType fonts: Debian 12's cairo (1.16) leaks about 768 bytes per document for each
  // CFF-outline font it embeds (Noto CJK is one): the defaults are TrueType fonts that
  // cover CJK between them (Droid Sans Fallback has no Hangul syllables, Nanum has).
  std::string font_family = "DejaVu Sans,Droid Sans Fallback,NanumGothic";
  double body_size_pt = 10.5;
  double title_size_pt = 18;
  int max_pages = 2000;  // past this Render answers kResourceExhausted
};

class CairoPdfRenderer final : public core::exports::ConversationPdfRenderer {
 public:
  explicit CairoPdfRenderer(PdfPageOptions options = {});
  ~CairoPdfRenderer() override;
  CairoPdfRenderer(const CairoPdfRenderer&) = delete;
  CairoPdfRenderer& operator=(const CairoPdfRenderer&) = delete;

  // Thread-safe. Each call draws on its own surface and Pango context; the font maps
  // (Pango's font caches, which are not thread-safe) are pooled: a call takes one for
  // itself and gives it back, so concurrent calls never share one.
  core::Result<std::string> Render(const core::exports::ExportedConversation& exported) const override;

 private:
  class FontMapPool;
  PdfPageOptions options_;
  std::unique_ptr<FontMapPool> font_maps_;
};

}  // namespace atrium::engines::exports
