#include "engines/export/cairo_pdf_renderer.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

namespace atrium::engines::exports {

namespace {

using core::Error;
using core::ErrorCode;
using core::chat::Message;
using core::exports::ExportedConversation;

struct GObjectUnref {
  void operator()(gpointer p) const { g_object_unref(p); }
};
template <class T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;
struct FontDescriptionFree {
  void operator()(PangoFontDescription* d) const { pango_font_description_free(d); }
};
using FontDescription = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
struct AttrListUnref {
  void operator()(PangoAttrList* a) const { pango_attr_list_unref(a); }
};
struct FontOptionsDestroy {
  void operator()(cairo_font_options_t* o) const { cairo_font_options_destroy(o); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

// fontconfig's configuration is process-wide: loaded once, before the first font map,
// so concurrent first renders do not each load (and race to install) their own. A
// function-local static is the once-per-process flag; the configuration itself stays
// fontconfig's (it lives until the process ends).
bool FontconfigReady() {
  static std::once_flag once;
  static bool ready = false;
  std::call_once(once, [] { ready = FcInit() == FcTrue; });
  return ready;
}

struct Rgb {
  double r = 0, g = 0, b = 0;
};
constexpr Rgb kText{0.1, 0.1, 0.1};
constexpr Rgb kMuted{0.42, 0.42, 0.42};
constexpr Rgb kUser{0.1, 0.3, 0.62};
constexpr Rgb kAssistant{0.1, 0.45, 0.25};
constexpr Rgb kOther{0.35, 0.35, 0.35};

// Valid UTF-8 for Pango: invalid bytes become U+FFFD, CR LF and CR become LF, and other
// C0 controls (NUL included) and DEL are dropped; tabs stay.
std::string CleanText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (b == '\r') {
        out += '\n';
        i += (i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
        continue;
      }
      if ((b >= 0x20 && b != 0x7F) || b == '\n' || b == '\t') out += static_cast<char>(b);
      ++i;
      continue;
    }
    const std::size_t len = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    std::size_t ok = len != 0 && i + len <= text.size() ? len : 0;
    for (std::size_t k = 1; k < ok; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) ok = 0;
    }
    if (ok != 0 && g_utf8_validate(text.data() + i, static_cast<gssize>(ok), nullptr)) {
      out.append(text.substr(i, ok));
      i += ok;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string OneLine(std::string_view text) {
  std::string out = CleanText(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
  return out;
}

// "2026-01-03T14:20:05.123Z" as "2026-01-03 14:20:05 UTC"; anything else verbatim.
std::string ShownTime(std::string_view t) {
  const bool iso =
      t.size() >= 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t.back() == 'Z';
  if (!iso) return OneLine(t);
  return std::string(t.substr(0, 10)) + " " + std::string(t.substr(11, 8)) + " UTC";
}

// The PDF's creation date from an RFC 3339 UTC time ("YYYY-MM-DDThh:mm:ssZ"), so the
// same export gives the same bytes; empty when `t` is not one.
std::string PdfDate(std::string_view t) {
  if (t.size() < 20 || t[10] != 'T' || t.back() != 'Z') return {};
  for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u, 14u, 15u, 17u, 18u}) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return {};
  }
  return std::string(t.substr(0, 19)) + "Z";
}

Rgb RoleColor(std::string_view role) {
  if (role == "user") return kUser;
  if (role == "assistant") return kAssistant;
  return kOther;
}

struct PlacedLine {
  PangoLayoutLine* line = nullptr;  // owned by a layout the Composer keeps
  double x = 0;
  double baseline = 0;
  Rgb color;
};

struct Page {
  std::vector<PlacedLine> lines;
  std::vector<double> rules;  // y of a hairline across the text width
};

// Lays blocks of text out top to bottom, starting a new page whenever the next line
// does not fit, and records where every line goes; drawing comes after, when the page
// count is known.
class Composer {
 public:
  Composer(PangoContext* context, const PdfPageOptions& o)
      : context_(context),
        left_(o.margin_pt),
        width_(o.width_pt - 2 * o.margin_pt),
        top_(o.margin_pt),
        bottom_(o.height_pt - o.margin_pt),
        max_pages_(static_cast<std::size_t>(std::max(1, o.max_pages))) {
    NewPage();
  }

  void Text(const std::string& text, const PangoFontDescription* font, Rgb color) {
    if (too_long_ || text.empty()) return;
    GObjectPtr<PangoLayout> layout(pango_layout_new(context_));
    pango_layout_set_font_description(layout.get(), font);
    pango_layout_set_width(layout.get(), static_cast<int>(width_ * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    // A word broken across lines (a long URL) keeps its characters: no hyphen is added.
    std::unique_ptr<PangoAttrList, AttrListUnref> attrs(pango_attr_list_new());
    pango_attr_list_insert(attrs.get(), pango_attr_insert_hyphens_new(FALSE));
    pango_layout_set_attributes(layout.get(), attrs.get());
    pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));  // never markup
    Flow(layout.get(), color);
    layouts_.push_back(std::move(layout));
  }

  void Gap(double pt) {
    if (y_ > top_) y_ += pt;
  }
  void Rule() {
    if (too_long_) return;
    if (y_ > top_) pages_.back().rules.push_back(y_);
  }
  // Starts a new page unless `pt` more fits on this one (a heading with its first lines).
  void KeepRoom(double pt) {
    if (y_ + pt > bottom_ && y_ > top_) NewPage();
  }
  bool too_long() const { return too_long_; }
  const std::vector<Page>& pages() const { return pages_; }

 private:
  void NewPage() {
    if (pages_.size() >= max_pages_) {
      too_long_ = true;
      return;
    }
    pages_.emplace_back();
    y_ = top_;
  }

  void Flow(PangoLayout* layout, Rgb color) {
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    do {
      PangoRectangle in_layout;
      pango_layout_iter_get_line_extents(it, nullptr, &in_layout);
      PangoLayoutLine* line = pango_layout_iter_get_line_readonly(it);
      PangoRectangle own;
      pango_layout_line_get_extents(line, nullptr, &own);
      const double height = static_cast<double>(in_layout.height) / PANGO_SCALE;
      if (y_ + height > bottom_ && y_ > top_) NewPage();
      if (too_long_) break;
      const double baseline = static_cast<double>(pango_layout_iter_get_baseline(it) - in_layout.y) / PANGO_SCALE;
      // The line's offset in the layout (right-aligned right-to-left paragraphs).
      const double x = left_ + static_cast<double>(in_layout.x - own.x) / PANGO_SCALE;
      pages_.back().lines.push_back({line, x, y_ + baseline, color});
      y_ += height;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  PangoContext* context_;
  double left_, width_, top_, bottom_;
  std::size_t max_pages_;
  double y_ = 0;
  bool too_long_ = false;
  std::vector<Page> pages_;
  std::vector<GObjectPtr<PangoLayout>> layouts_;
};

FontDescription Font(const PdfPageOptions& o, double size, PangoWeight weight) {
  FontDescription d(pango_font_description_new());
  pango_font_description_set_family(d.get(), o.font_family.c_str());
  pango_font_description_set_size(d.get(), static_cast<int>(size * PANGO_SCALE));
  pango_font_description_set_weight(d.get(), weight);
  return d;
}

std::string GenerationLine(const core::chat::GenerationMetadata& g) {
  std::string line = OneLine(g.model);
  auto add = [&line](const std::string& part) { line += (line.empty() ? "" : " · ") + part; };
  if (g.total_tokens > 0) add(std::to_string(g.total_tokens) + " tokens");
  if (g.generation_ms > 0) add(std::to_string(g.generation_ms) + " ms");
  return line;
}

void Compose(Composer& c, const ExportedConversation& e, const PdfPageOptions& o) {
  const auto title_font = Font(o, o.title_size_pt, PANGO_WEIGHT_BOLD);
  const auto heading_font = Font(o, o.body_size_pt, PANGO_WEIGHT_BOLD);
  const auto body_font = Font(o, o.body_size_pt, PANGO_WEIGHT_NORMAL);
  const auto small_font = Font(o, o.body_size_pt * 0.85, PANGO_WEIGHT_NORMAL);
  const auto& conv = e.conversation;

  std::string title = OneLine(conv.title);
  if (title.find_first_not_of(' ') == std::string::npos) title = "Untitled conversation";
  c.Text(title, title_font.get(), kText);
  c.Gap(4);
  std::string meta = "Created " + ShownTime(conv.created_at) + "  ·  Updated " + ShownTime(conv.updated_at) + "  ·  " +
                     std::to_string(e.messages.size()) + (e.messages.size() == 1 ? " message" : " messages");
  c.Text(meta, small_font.get(), kMuted);
  if (!conv.tags.empty()) {
    std::string tags = "Tags: ";
    for (std::size_t i = 0; i < conv.tags.size(); ++i) tags += (i ? ", " : "") + OneLine(conv.tags[i]);
    c.Text(tags, small_font.get(), kMuted);
  }
  c.Text("Exported " + ShownTime(e.exported_at), small_font.get(), kMuted);
  if (conv.summary) {
    c.Gap(6);
    c.Text(CleanText(*conv.summary), body_font.get(), kMuted);
  }
  c.Gap(8);
  c.Rule();

  const double line_pt = o.body_size_pt * 1.25;
  for (const Message& m : e.messages) {
    if (c.too_long()) break;
    c.Gap(12);
    c.KeepRoom(4 * line_pt);  // the heading never ends a page alone
    std::string heading = core::exports::RoleLabel(OneLine(m.role));
    if (!m.created_at.empty()) heading += "  ·  " + ShownTime(m.created_at);
    c.Text(heading, heading_font.get(), RoleColor(m.role));
    c.Gap(3);
    c.Text(CleanText(m.content), body_font.get(), kText);
    if (m.generation) {
      c.Gap(2);
      c.Text(GenerationLine(*m.generation), small_font.get(), kMuted);
    }
  }
}

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void DrawFooter(cairo_t* cr, PangoContext* context, const PdfPageOptions& o, std::size_t page, std::size_t pages) {
  const auto font = Font(o, o.body_size_pt * 0.8, PANGO_WEIGHT_NORMAL);
  GObjectPtr<PangoLayout> layout(pango_layout_new(context));
  pango_layout_set_font_description(layout.get(), font.get());
  const std::string text = "Page " + std::to_string(page) + " of " + std::to_string(pages);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  const double x = (o.width_pt - static_cast<double>(w) / PANGO_SCALE) / 2;
  const double y = o.height_pt - o.margin_pt / 2 - static_cast<double>(h) / PANGO_SCALE / 2;
  cairo_set_source_rgb(cr, kMuted.r, kMuted.g, kMuted.b);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, layout.get());
}

}  // namespace

// Pango's font maps cache fonts and fontsets without locks: each is used by one render
// at a time. Maps are made on demand and kept for the next render (as many as renders
// ever ran at once).
class CairoPdfRenderer::FontMapPool {
 public:
  ~FontMapPool() {
    for (PangoFontMap* m : free_) g_object_unref(m);
  }

  struct Giver {
    FontMapPool* pool;
    void operator()(PangoFontMap* m) const { pool->Give(m); }
  };
  using Lease = std::unique_ptr<PangoFontMap, Giver>;

  Lease Take() {
    {
      std::lock_guard lock(mu_);
      if (!free_.empty()) {
        PangoFontMap* m = free_.back();
        free_.pop_back();
        return Lease(m, Giver{this});
      }
    }
    return Lease(pango_cairo_font_map_new(), Giver{this});
  }

 private:
  void Give(PangoFontMap* m) {
    std::lock_guard lock(mu_);
    free_.push_back(m);
  }

  std::mutex mu_;
  std::vector<PangoFontMap*> free_;
};

CairoPdfRenderer::CairoPdfRenderer(PdfPageOptions options)
    : options_(std::move(options)), font_maps_(std::make_unique<FontMapPool>()) {}

CairoPdfRenderer::~CairoPdfRenderer() = default;

core::Result<std::string> CairoPdfRenderer::Render(const ExportedConversation& exported) const {
  if (!FontconfigReady()) return Error(ErrorCode::kInternal, "The PDF could not be made", "fontconfig: FcInit failed");
  const auto font_map = font_maps_->Take();
  GObjectPtr<PangoContext> context(pango_font_map_create_context(font_map.get()));
  // Points as Pango's units, and unhinted metrics: a PDF is scaled, not drawn on pixels.
  pango_cairo_context_set_resolution(context.get(), 72.0);
  std::unique_ptr<cairo_font_options_t, FontOptionsDestroy> font_options(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(font_options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(font_options.get(), CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context.get(), font_options.get());
  pango_context_set_round_glyph_positions(context.get(), FALSE);

  Composer composer(context.get(), options_);
  Compose(composer, exported, options_);
  if (composer.too_long()) {
    return Error(ErrorCode::kResourceExhausted, "The conversation is too long to export as a PDF",
                 "pdf export: more than " + std::to_string(options_.max_pages) + " pages");
  }

  std::string bytes;
  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(
      cairo_pdf_surface_create_for_stream(AppendBytes, &bytes, options_.width_pt, options_.height_pt));
  std::string title = OneLine(exported.conversation.title);
  if (title.find_first_not_of(' ') == std::string::npos) title = "Untitled conversation";
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "Atrium");
  if (const std::string date = PdfDate(exported.exported_at); !date.empty()) {
    cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATE_DATE, date.c_str());
  }
  {
    std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
    const auto& pages = composer.pages();
    for (std::size_t p = 0; p < pages.size(); ++p) {
      cairo_set_line_width(cr.get(), 0.5);
      cairo_set_source_rgb(cr.get(), 0.8, 0.8, 0.8);
      for (const double y : pages[p].rules) {
        cairo_move_to(cr.get(), options_.margin_pt, y);
        cairo_line_to(cr.get(), options_.width_pt - options_.margin_pt, y);
        cairo_stroke(cr.get());
      }
      for (const PlacedLine& l : pages[p].lines) {
        cairo_set_source_rgb(cr.get(), l.color.r, l.color.g, l.color.b);
        cairo_move_to(cr.get(), l.x, l.baseline);
        pango_cairo_show_layout_line(cr.get(), l.line);
      }
      DrawFooter(cr.get(), context.get(), options_, p + 1, pages.size());
      cairo_show_page(cr.get());
    }
    if (const cairo_status_t s = cairo_status(cr.get()); s != CAIRO_STATUS_SUCCESS) {
      return Error(ErrorCode::kInternal, "The PDF could not be made",
                   std::string("cairo: ") + cairo_status_to_string(s));
    }
  }
  cairo_surface_finish(surface.get());
  if (const cairo_status_t s = cairo_surface_status(surface.get()); s != CAIRO_STATUS_SUCCESS) {
    return Error(ErrorCode::kInternal, "The PDF could not be made", std::string("cairo: ") + cairo_status_to_string(s));
  }
  return bytes;
}

}  // namespace atrium::engines::exports

#if defined(__SANITIZE_ADDRESS__)
#define ATRIUM_LSAN_SUPPRESSIONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATRIUM_LSAN_SUPPRESSIONS 1
#endif
#endif
#ifdef ATRIUM_LSAN_SUPPRESSIONS
// LeakSanitizer's own hook, read once at exit in sanitizer builds (the tests, the debug
// server); it lives in this file because only a binary that links the renderer needs it,
// and must stay the tree's only definition. fontconfig 2.14 loses a few hundred bytes
// once per process while parsing its XML configuration (FcInit); the allocation's stack
// has no frame pointers, so it can only be matched by the library's name.
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
