#include "engines/documents/docx_xml.hpp"

#include <expat.h>

#include <algorithm>
#include <climits>
#include <new>
#include <vector>

#include "core/documents/document_errors.hpp"
#include "core/documents/utf8.hpp"

namespace atrium::engines::documents {

namespace {

using core::documents::TrimWhitespace;

// Names arrive as "<namespace URI><kSeparator><local name>".
constexpr char kSeparator = ' ';
constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr std::string_view kWordStrictNs = "http://purl.oclc.org/ooxml/wordprocessingml/main";
constexpr std::string_view kCompatibilityNs = "http://schemas.openxmlformats.org/markup-compatibility/2006";
constexpr std::string_view kDublinCoreNs = "http://purl.org/dc/elements/1.1/";
constexpr std::size_t kMaxPropertyChars = 500;

struct Name {
  std::string_view ns;
  std::string_view local;
};

Name Split(const XML_Char* name) {
  const std::string_view n(name);
  const std::size_t at = n.rfind(kSeparator);
  if (at == std::string_view::npos) return {{}, n};
  return {n.substr(0, at), n.substr(at + 1)};
}

bool IsWord(const Name& n) { return n.ns == kWordNs || n.ns == kWordStrictNs; }

// The value of the w:val attribute, empty when there is none.
std::string_view WordVal(const XML_Char** attributes) {
  for (const XML_Char** a = attributes; a != nullptr && *a != nullptr; a += 2) {
    const Name n = Split(a[0]);
    if (IsWord(n) && n.local == "val") return a[1];
  }
  return {};
}

// Title, Heading1..Heading6 (the style ids Word and pandoc write), in any letter case.
bool IsHeadingStyle(std::string_view style) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  };
  const std::string s = lower(style);
  if (s == "title") return true;
  return s.size() == 8 && s.substr(0, 7) == "heading" && s[7] >= '1' && s[7] <= '6';
}

using ParserPtr = std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)>;

}  // namespace

struct DocxBodyParser::State {
  struct Paragraph {
    std::string text;
    bool heading = false;
    std::size_t tables = 0;  // how many tables were open when it began
  };
  struct Table {
    std::vector<std::string> row;
    std::string cell;
  };

  explicit State(core::documents::DocumentBuilder& b)
      : out(b), parser(XML_ParserCreateNS(nullptr, kSeparator), &XML_ParserFree) {}

  core::documents::DocumentBuilder& out;
  ParserPtr parser;
  std::vector<Paragraph> paragraphs;
  std::vector<Table> tables;
  std::string section;
  int text_depth = 0;     // inside w:t
  int skip_depth = 0;     // inside a subtree whose text is left out
  int ppr_depth = 0;      // inside the paragraph's own w:pPr
  bool stopped = false;   // the budget is spent
  bool refused = false;   // a DOCTYPE: the parse was aborted
  bool finished = false;  // the last bytes were fed

  void Stop() {
    stopped = true;
    XML_StopParser(parser.get(), XML_FALSE);
  }

  void Emit(std::string_view text, bool heading) {
    if (heading && !TrimWhitespace(text).empty()) section = std::string(TrimWhitespace(text));
    if (!out.Add(text, 0, section)) Stop();
  }

  void EndParagraph() {
    Paragraph p = std::move(paragraphs.back());
    paragraphs.pop_back();
    if (p.tables > 0 && p.tables == tables.size()) {
      const std::string_view t = TrimWhitespace(p.text);
      if (t.empty()) return;
      std::string& cell = tables.back().cell;
      if (!cell.empty()) cell += ' ';
      cell += t;
      return;
    }
    Emit(p.text, p.heading);
  }

  void EndRow() {
    Table& table = tables.back();
    std::string row;
    for (const auto& cell : table.row) {
      if (cell.empty()) continue;
      if (!row.empty()) row += " | ";
      row += cell;
    }
    table.row.clear();
    if (row.empty()) return;
    if (tables.size() > 1) {
      std::string& outer = tables[tables.size() - 2].cell;
      if (!outer.empty()) outer += ' ';
      outer += row;
      return;
    }
    Emit(row, false);
  }

  void Start(const XML_Char* name, const XML_Char** attributes) {
    const Name n = Split(name);
    if (n.ns == kCompatibilityNs && n.local == "Fallback") {
      ++skip_depth;
      return;
    }
    if (!IsWord(n)) return;
    const std::string_view l = n.local;
    if (l == "del" || l == "moveFrom" || l == "pPrChange" || l == "rPrChange" || l == "instrText") {
      ++skip_depth;
      return;
    }
    if (skip_depth > 0) return;
    if (l == "p") {
      paragraphs.push_back({{}, false, tables.size()});
    } else if (l == "pPr" && !paragraphs.empty()) {
      ++ppr_depth;
    } else if (ppr_depth > 0 && l == "pStyle") {
      if (IsHeadingStyle(WordVal(attributes))) paragraphs.back().heading = true;
    } else if (ppr_depth > 0 && l == "outlineLvl") {
      const std::string_view v = WordVal(attributes);
      if (v.size() == 1 && v[0] >= '0' && v[0] <= '5') paragraphs.back().heading = true;
    } else if (l == "t") {
      ++text_depth;
    } else if (!paragraphs.empty() && l == "tab") {
      if (ppr_depth == 0) paragraphs.back().text += '\t';
    } else if (!paragraphs.empty() && (l == "br" || l == "cr")) {
      paragraphs.back().text += '\n';
    } else if (!paragraphs.empty() && l == "noBreakHyphen") {
      paragraphs.back().text += '-';
    } else if (l == "tbl") {
      tables.emplace_back();
    } else if (l == "tc" && !tables.empty()) {
      tables.back().cell.clear();
    }
  }

  void End(const XML_Char* name) {
    const Name n = Split(name);
    if (n.ns == kCompatibilityNs && n.local == "Fallback") {
      --skip_depth;
      return;
    }
    if (!IsWord(n)) return;
    const std::string_view l = n.local;
    if (l == "del" || l == "moveFrom" || l == "pPrChange" || l == "rPrChange" || l == "instrText") {
      --skip_depth;
      return;
    }
    if (skip_depth > 0) return;
    if (l == "p" && !paragraphs.empty()) {
      EndParagraph();
    } else if (l == "pPr" && ppr_depth > 0) {
      --ppr_depth;
    } else if (l == "t" && text_depth > 0) {
      --text_depth;
    } else if (l == "tc" && !tables.empty()) {
      tables.back().row.push_back(std::move(tables.back().cell));
      tables.back().cell.clear();
    } else if (l == "tr" && !tables.empty()) {
      EndRow();
    } else if (l == "tbl" && !tables.empty()) {
      tables.pop_back();
    }
  }

  void Text(const XML_Char* s, int len) {
    if (text_depth > 0 && skip_depth == 0 && ppr_depth == 0 && !paragraphs.empty()) {
      paragraphs.back().text.append(s, static_cast<std::size_t>(len));
    }
  }
};

namespace {

void XMLCALL OnStart(void* user, const XML_Char* name, const XML_Char** attributes) {
  static_cast<DocxBodyParser::State*>(user)->Start(name, attributes);
}
void XMLCALL OnEnd(void* user, const XML_Char* name) { static_cast<DocxBodyParser::State*>(user)->End(name); }
void XMLCALL OnText(void* user, const XML_Char* s, int len) { static_cast<DocxBodyParser::State*>(user)->Text(s, len); }
void XMLCALL OnDoctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  auto* s = static_cast<DocxBodyParser::State*>(user);
  s->refused = true;
  XML_StopParser(s->parser.get(), XML_FALSE);
}

}  // namespace

DocxBodyParser::DocxBodyParser(core::documents::DocumentBuilder& out) : state_(std::make_unique<State>(out)) {
  XML_Parser p = state_->parser.get();
  if (p == nullptr) throw std::bad_alloc();
  XML_SetUserData(p, state_.get());
  XML_SetElementHandler(p, OnStart, OnEnd);
  XML_SetCharacterDataHandler(p, OnText);
  XML_SetStartDoctypeDeclHandler(p, OnDoctype);
}

DocxBodyParser::~DocxBodyParser() = default;

bool DocxBodyParser::stopped() const { return state_->stopped; }

core::Result<void> DocxBodyParser::Feed(std::string_view bytes, bool last) {
  State& s = *state_;
  if (s.stopped || s.finished) return core::Ok{};
  do {
    const std::size_t n = std::min<std::size_t>(bytes.size(), INT_MAX / 2);
    const bool final_piece = last && n == bytes.size();
    if (XML_Parse(s.parser.get(), bytes.data(), static_cast<int>(n), final_piece ? XML_TRUE : XML_FALSE) !=
        XML_STATUS_OK) {
      if (s.stopped) return core::Ok{};
      if (s.refused) return core::documents::InvalidDocument("docx: a DOCTYPE in word/document.xml");
      return core::documents::InvalidDocument(std::string("docx: ") +
                                              XML_ErrorString(XML_GetErrorCode(s.parser.get())) + " at line " +
                                              std::to_string(XML_GetCurrentLineNumber(s.parser.get())));
    }
    bytes.remove_prefix(n);
  } while (!bytes.empty());
  s.finished = last;
  return core::Ok{};
}

namespace {

struct PropertiesState {
  XML_Parser parser = nullptr;
  std::string* into = nullptr;
  std::string title;
  std::string creator;
  int depth = 0;  // inside dc:title or dc:creator
};

void XMLCALL PropStart(void* user, const XML_Char* name, const XML_Char**) {
  auto* s = static_cast<PropertiesState*>(user);
  const Name n = Split(name);
  if (s->depth > 0) {
    ++s->depth;
    return;
  }
  if (n.ns != kDublinCoreNs) return;
  if (n.local == "title") s->into = &s->title;
  if (n.local == "creator") s->into = &s->creator;
  if (s->into != nullptr) s->depth = 1;
}
void XMLCALL PropEnd(void* user, const XML_Char*) {
  auto* s = static_cast<PropertiesState*>(user);
  if (s->depth > 0 && --s->depth == 0) s->into = nullptr;
}
void XMLCALL PropDoctype(void* user, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  XML_StopParser(static_cast<PropertiesState*>(user)->parser, XML_FALSE);
}
void XMLCALL PropText(void* user, const XML_Char* text, int len) {
  auto* s = static_cast<PropertiesState*>(user);
  if (s->into != nullptr && s->into->size() < kMaxPropertyChars * 4)
    s->into->append(text, static_cast<std::size_t>(len));
}

std::optional<std::string> Property(const std::string& value) {
  std::string_view v = TrimWhitespace(value);
  v = v.substr(0, core::documents::PrefixOfChars(v, kMaxPropertyChars));
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

}  // namespace

DocxProperties ParseDocxProperties(std::string_view xml) {
  ParserPtr parser(XML_ParserCreateNS(nullptr, kSeparator), &XML_ParserFree);
  if (!parser || xml.size() > INT_MAX) return {};
  PropertiesState s;
  s.parser = parser.get();
  XML_SetUserData(parser.get(), &s);
  XML_SetElementHandler(parser.get(), PropStart, PropEnd);
  XML_SetCharacterDataHandler(parser.get(), PropText);
  XML_SetStartDoctypeDeclHandler(parser.get(), PropDoctype);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), XML_TRUE) != XML_STATUS_OK) return {};
  return {Property(s.title), Property(s.creator)};
}

}  // namespace atrium::engines::documents
