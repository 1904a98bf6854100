// The document extractors on real files made here: DOCX by pandoc from Markdown (title,
// author, headings, a table), a multi-page PDF written byte by byte with a correct xref
// table (checked with poppler-utils' pdfinfo and pdftotext), text and Markdown files.
// Each is sniffed and extracted, and checked for pages, headings, title and language;
// cut short, without document.xml, with a DOCTYPE, inflating past the limit, or with no
// text, each is refused with the exact reason.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/documents/chunker.hpp"
#include "core/documents/document_format.hpp"
#include "core/documents/utf8.hpp"
#include "engines/documents/document_extractor.hpp"
#include "engines/documents/docx_text.hpp"
#include "engines/documents/textcat_language.hpp"
#include "support/pdf_writer.hpp"
#include "support/temp_dir.hpp"
#include "support/zip_writer.hpp"

namespace atrium::engines::documents {
namespace {

using core::ErrorCode;
using core::Reason;
using core::documents::DocumentBlock;
using core::documents::DocumentFormat;
using core::documents::ExtractedDocument;
using core::documents::ExtractLimits;
using testing::MakePdf;

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string Output(const std::string& cmd) {
  std::string out;
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen((cmd + " 2>/dev/null").c_str(), "r"), &pclose);
  if (!pipe) return out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = fread(buf.data(), 1, buf.size(), pipe.get())) > 0;) out.append(buf.data(), n);
  return out;
}

constexpr std::string_view kReportMarkdown = R"(---
title: Quarterly Report
author: Jane Doe
---

# Introduction

This report describes the results of the third quarter. Sales grew in every region,
and the new products were received well by our customers.

## Regional results

| Region | Sales |
|--------|-------|
| North  | 120   |
| South  | 95    |

The table above shows the numbers for each region.

# Outlook

We expect further growth next year, and we will hire more people for the support team.
)";

constexpr std::string_view kGerman =
    "Die Stadt liegt am Ufer des Flusses und ist für ihre alten Brücken bekannt. Im Sommer kommen viele "
    "Besucher, die durch die engen Gassen spazieren und in den kleinen Cafés sitzen. Die Einwohner sind stolz "
    "auf ihre Geschichte und feiern jedes Jahr ein großes Fest auf dem Marktplatz.";
constexpr std::string_view kFrench =
    "La ville se trouve au bord de la rivière et elle est connue pour ses vieux ponts. En été, beaucoup de "
    "visiteurs se promènent dans les petites rues et s'assoient aux terrasses des cafés. Les habitants sont "
    "fiers de leur histoire et célèbrent chaque année une grande fête sur la place du marché.";

std::string AllText(const ExtractedDocument& doc) {
  std::string out;
  for (const auto& b : doc.blocks) out += b.text + "\n";
  return out;
}

const DocumentBlock* BlockWith(const ExtractedDocument& doc, std::string_view text) {
  for (const auto& b : doc.blocks) {
    if (b.text.find(text) != std::string::npos) return &b;
  }
  return nullptr;
}

class DocumentsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    WriteFile(dir_->File("report.md"), kReportMarkdown);
    ASSERT_EQ(std::system(
                  ("pandoc -o " + dir_->File("report.docx") + " " + dir_->File("report.md") + " 2>/dev/null").c_str()),
              0);
    WriteFile(dir_->File("report.pdf"),
              MakePdf({{"Annual summary of the project", "The first page introduces the work."},
                       {"The second page describes the method and the tools we used."},
                       {"The third page lists the results (all of them) and a conclusion."}},
                      "Project Summary", "John Smith"));
    WriteFile(dir_->File("blank.pdf"), MakePdf({{}}, "Nothing", "Nobody"));
    auto language = TextcatLanguage::Create();
    ASSERT_TRUE(language.ok()) << language.error().internal_message();
    language_ = language->release();
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
    delete language_;
    language_ = nullptr;
  }

  static std::filesystem::path Path(std::string_view name) { return dir_->path() / name; }
  static std::filesystem::path Write(std::string_view name, std::string_view bytes) {
    WriteFile(Path(name), bytes);
    return Path(name);
  }

  // Sniffed as `expected`, then extracted.
  core::Result<ExtractedDocument> SniffAndExtract(const std::filesystem::path& file, std::string_view name,
                                                  DocumentFormat expected, ExtractLimits limits = {}) {
    auto format = core::documents::SniffDocumentFormat(file, name);
    EXPECT_TRUE(format.ok()) << format.error().internal_message();
    if (!format.ok()) return format.error();
    EXPECT_EQ(*format, expected);
    return DocumentExtractor(limits).Extract(file, *format);
  }

  static void ExpectRefused(const core::Result<ExtractedDocument>& r, Reason reason) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason(), reason) << r.error().internal_message();
    // The safe message names neither the file nor a library.
    EXPECT_EQ(r.error().safe_message().find(dir_->path().string()), std::string::npos);
    EXPECT_EQ(r.error().safe_message().find("poppler"), std::string::npos);
    EXPECT_EQ(r.error().safe_message().find("libarchive"), std::string::npos);
  }

  static testing::TempDir* dir_;
  static TextcatLanguage* language_;
};

testing::TempDir* DocumentsTest::dir_ = nullptr;
TextcatLanguage* DocumentsTest::language_ = nullptr;

TEST_F(DocumentsTest, DocxFromPandoc) {
  auto r = SniffAndExtract(Path("report.docx"), "report.docx", DocumentFormat::kDocx);
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->title, "Quarterly Report");
  EXPECT_EQ(r->author, "Jane Doe");
  EXPECT_FALSE(r->page_count.has_value());
  EXPECT_FALSE(r->truncated);
  for (const auto& b : r->blocks) EXPECT_EQ(b.page, 0);

  const auto* heading = BlockWith(*r, "Introduction");
  ASSERT_NE(heading, nullptr);
  EXPECT_EQ(heading->text, "Introduction");
  EXPECT_EQ(heading->section, "Introduction");
  const auto* body = BlockWith(*r, "third quarter");
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->section, "Introduction");
  // Table rows are blocks of their cells.
  const auto* header_row = BlockWith(*r, " | Sales");
  ASSERT_NE(header_row, nullptr);
  EXPECT_EQ(header_row->text, "Region | Sales");
  EXPECT_EQ(header_row->section, "Regional results");
  const auto* row = BlockWith(*r, "North");
  ASSERT_NE(row, nullptr);
  EXPECT_EQ(row->text, "North | 120");
  const auto* after = BlockWith(*r, "table above");
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(after->section, "Regional results");
  const auto* outlook = BlockWith(*r, "further growth");
  ASSERT_NE(outlook, nullptr);
  EXPECT_EQ(outlook->section, "Outlook");

  EXPECT_EQ(language_->Detect(AllText(*r)), "en");
}

TEST_F(DocumentsTest, PdfPagesTitleAndAuthor) {
  // A second reader agrees the file is sound.
  const std::string info = Output("pdfinfo " + Path("report.pdf").string());
  EXPECT_NE(info.find("Pages:           3\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Project Summary"), std::string::npos) << info;
  EXPECT_NE(Output("pdftotext " + Path("report.pdf").string() + " -").find("second page"), std::string::npos);

  auto r = SniffAndExtract(Path("report.pdf"), "report.txt", DocumentFormat::kPdf);
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->page_count, 3);
  EXPECT_EQ(r->title, "Project Summary");
  EXPECT_EQ(r->author, "John Smith");
  const auto* first = BlockWith(*r, "first page");
  const auto* second = BlockWith(*r, "second page");
  const auto* third = BlockWith(*r, "third page");
  ASSERT_TRUE(first && second && third) << AllText(*r);
  EXPECT_EQ(first->page, 1);
  EXPECT_EQ(second->page, 2);
  EXPECT_EQ(third->page, 3);
  EXPECT_NE(third->text.find("(all of them)"), std::string::npos);
  for (const auto& b : r->blocks) EXPECT_EQ(b.section, "");

  // Chunks keep the page they start on.
  auto chunks = core::documents::ChunkDocument(r->blocks, {60, 10});
  ASSERT_GE(chunks.size(), 3u);
  EXPECT_EQ(chunks.front().page, 1);
  EXPECT_EQ(chunks.back().page, 3);
  EXPECT_EQ(language_->Detect(AllText(*r)), "en");
}

TEST_F(DocumentsTest, PdfPageLimit) {
  ExtractLimits limits;
  limits.max_pages = 2;
  auto r = DocumentExtractor(limits).Extract(Path("report.pdf"), DocumentFormat::kPdf);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncated);
  EXPECT_EQ(r->page_count, 3);
  EXPECT_EQ(BlockWith(*r, "third page"), nullptr);
  EXPECT_NE(BlockWith(*r, "second page"), nullptr);
}

TEST_F(DocumentsTest, BrokenPdfsAreInvalid) {
  const std::string pdf = ReadFile(Path("report.pdf"));
  DocumentExtractor extractor;
  // Cut short in transit: still sniffed as a PDF, refused when read.
  const auto cut = Write("cut.pdf", pdf.substr(0, pdf.size() / 2));
  ASSERT_EQ(*core::documents::SniffDocumentFormat(cut, "cut.pdf"), DocumentFormat::kPdf);
  ExpectRefused(extractor.Extract(cut, DocumentFormat::kPdf), Reason::kInvalidDocument);
  ExpectRefused(
      extractor.Extract(Write("junk.pdf", "%PDF-1.4\nnot really a PDF at all\n%%EOF\n"), DocumentFormat::kPdf),
      Reason::kInvalidDocument);
  ExpectRefused(extractor.Extract(Write("header.pdf", "%PDF-"), DocumentFormat::kPdf), Reason::kInvalidDocument);
  // Sound, but nothing to read.
  auto blank = extractor.Extract(Path("blank.pdf"), DocumentFormat::kPdf);
  ExpectRefused(blank, Reason::kInvalidDocument);
  EXPECT_EQ(blank.error().safe_message(), "The document contains no text");
}

TEST_F(DocumentsTest, ZipWithoutDocumentXml) {
  const auto xlsx =
      Write("sheet.docx",
            testing::ZipWriter().Add("[Content_Types].xml", "<Types/>").Add("xl/workbook.xml", "<workbook/>").Bytes());
  auto format = core::documents::SniffDocumentFormat(xlsx, "sheet.docx");
  ASSERT_FALSE(format.ok());
  EXPECT_EQ(format.error().reason(), Reason::kUnsupportedDocument);
  // Told it is a DOCX anyway, the extractor finds no document in it.
  ExpectRefused(DocumentExtractor().Extract(xlsx, DocumentFormat::kDocx), Reason::kInvalidDocument);
}

TEST_F(DocumentsTest, BrokenDocxIsInvalid) {
  const std::string docx = ReadFile(Path("report.docx"));
  DocumentExtractor extractor;
  ExpectRefused(extractor.Extract(Write("cut.docx", docx.substr(0, docx.size() / 2)), DocumentFormat::kDocx),
                Reason::kInvalidDocument);
  ExpectRefused(extractor.Extract(Write("garbage.docx", "PK\x03\x04 garbage"), DocumentFormat::kDocx),
                Reason::kInvalidDocument);
  // Well-formed XML only, and no DOCTYPE (entity tricks) at all.
  const auto doctype = Write("doctype.docx", testing::ZipWriter()
                                                 .Add("word/document.xml",
                                                      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaa\">"
                                                      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><d>&b;</d>")
                                                 .Bytes());
  ExpectRefused(SniffAndExtract(doctype, "d.docx", DocumentFormat::kDocx), Reason::kInvalidDocument);
  const auto unclosed = Write("unclosed.docx", testing::ZipWriter()
                                                   .Add("word/document.xml",
                                                        "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                                                        "wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>cut")
                                                   .Bytes());
  ExpectRefused(extractor.Extract(unclosed, DocumentFormat::kDocx), Reason::kInvalidDocument);
  // A document with paragraphs but no text.
  const auto empty = Write("empty.docx", testing::ZipWriter()
                                             .Add("word/document.xml",
                                                  "<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                                                  "wordprocessingml/2006/main\"><w:body><w:p/><w:p><w:r><w:t> </w:t>"
                                                  "</w:r></w:p></w:body></w:document>")
                                             .Bytes());
  ExpectRefused(extractor.Extract(empty, DocumentFormat::kDocx), Reason::kInvalidDocument);
}

TEST_F(DocumentsTest, DocxInflatingPastTheLimitIsTooLarge) {
  ExtractLimits limits;
  limits.max_xml_bytes = 1024;  // pandoc's document.xml is deflated well past this
  ExpectRefused(DocumentExtractor(limits).Extract(Path("report.docx"), DocumentFormat::kDocx),
                Reason::kDocumentTooLarge);
}

TEST_F(DocumentsTest, CharacterLimitTruncates) {
  ExtractLimits limits;
  limits.max_chars = 40;
  for (const auto& [file, format] :
       {std::pair{"report.docx", DocumentFormat::kDocx}, std::pair{"report.pdf", DocumentFormat::kPdf},
        std::pair{"report.md", DocumentFormat::kMarkdown}}) {
    auto r = DocumentExtractor(limits).Extract(Path(file), format);
    ASSERT_TRUE(r.ok()) << file << ": " << r.error().internal_message();
    EXPECT_TRUE(r->truncated) << file;
    std::size_t chars = 0;
    for (const auto& b : r->blocks) chars += core::documents::CountChars(b.text);
    EXPECT_LE(chars, 40u) << file;
    EXPECT_GT(chars, 0u) << file;
  }
}

TEST_F(DocumentsTest, WordprocessingMlDetails) {
  constexpr std::string_view kXml = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
            xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">
<w:body>
  <w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>The Title</w:t></w:r></w:p>
  <w:p><w:r><w:t xml:space="preserve">Split </w:t></w:r><w:r><w:t>runs</w:t><w:tab/><w:t>tab</w:t><w:br/><w:t>line</w:t></w:r></w:p>
  <w:p><w:pPr><w:outlineLvl w:val="1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Outline heading</w:t></w:r></w:p>
  <w:p><w:r><w:t>Kept </w:t></w:r><w:del w:id="1"><w:r><w:delText>deleted </w:delText></w:r></w:del><w:ins w:id="2"><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>
  <w:p><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>after field</w:t></w:r></w:p>
  <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>choice</w:t></mc:Choice><mc:Fallback><w:t>fallback</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>
  <w:tbl>
    <w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p><w:p><w:r><w:t>second line</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>C1</w:t></w:r></w:p></w:tc></w:tr>
    <w:tr><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>inner1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>inner2</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc><w:tc><w:p><w:r><w:t>B2</w:t></w:r></w:p></w:tc></w:tr>
  </w:tbl>
  <w:p><w:pPr><w:pStyle w:val="heading3"/></w:pPr><w:r><w:t>Lower case style</w:t></w:r></w:p>
  <w:p><w:r><w:t>&lt;escaped&gt; &amp; &#x263A;</w:t></w:r></w:p>
</w:body></w:document>)";
  const auto file = Write("details.docx", testing::ZipWriter()
                                              .Add("[Content_Types].xml", "<Types/>")
                                              .Add("word/document.xml", std::string(kXml))
                                              .Add("docProps/core.xml",
                                                   "<cp:coreProperties xmlns:cp=\"x\" "
                                                   "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title> Props "
                                                   "title </dc:title><dc:creator>A. Writer</dc:creator>"
                                                   "</cp:coreProperties>")
                                              .Bytes());
  auto r = SniffAndExtract(file, "details.bin", DocumentFormat::kDocx);
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->title, "Props title");
  EXPECT_EQ(r->author, "A. Writer");
  std::vector<std::pair<std::string, std::string>> blocks;
  for (const auto& b : r->blocks) blocks.emplace_back(b.text, b.section);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"The Title", "The Title"},
      {"Split runs\ttab\nline", "The Title"},
      {"Outline heading", "Outline heading"},
      {"Kept inserted", "Outline heading"},
      {"after field", "Outline heading"},
      {"choice", "Outline heading"},
      {"A1 second line | C1", "Outline heading"},
      {"inner1 | inner2 | B2", "Outline heading"},
      {"Lower case style", "Lower case style"},
      {"<escaped> & \xE2\x98\xBA", "Lower case style"},
  };
  EXPECT_EQ(blocks, expected);
}

TEST_F(DocumentsTest, MarkdownHeadingsSectionsAndTitle) {
  const auto file = Write("notes.md",
                          "\xEF\xBB\xBFIntro before any heading.\r\n\r\n"
                          "# Main Title #\n\nFirst paragraph\nwith two lines.\n\n"
                          "```sh\n# not a heading\n\necho hi\n```\n\n"
                          "Second level\n------------\n\nUnder it.\n\n"
                          "####### seven hashes is text\n\n#hashtag is text too\n\n"
                          "## Last\nRight under the heading.\n");
  auto r = SniffAndExtract(file, "notes.md", DocumentFormat::kMarkdown);
  ASSERT_TRUE(r.ok()) << r.error().internal_message();
  EXPECT_EQ(r->title, "Main Title");
  EXPECT_FALSE(r->author.has_value());
  std::vector<std::pair<std::string, std::string>> blocks;
  for (const auto& b : r->blocks) blocks.emplace_back(b.text, b.section);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"Intro before any heading.", ""},
      {"Main Title", "Main Title"},
      {"First paragraph\nwith two lines.", "Main Title"},
      {"```sh\n# not a heading\n\necho hi\n```", "Main Title"},
      {"Second level", "Second level"},
      {"Under it.", "Second level"},
      {"####### seven hashes is text", "Second level"},
      {"#hashtag is text too", "Second level"},
      {"Last", "Last"},
      {"Right under the heading.", "Last"},
  };
  EXPECT_EQ(blocks, expected);
}

TEST_F(DocumentsTest, MarkdownFrontMatter) {
  auto r = DocumentExtractor().Extract(Path("report.md"), DocumentFormat::kMarkdown);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->title, "Quarterly Report");
  EXPECT_EQ(r->author, "Jane Doe");
  EXPECT_EQ(r->blocks.front().text, "Introduction");
  EXPECT_EQ(BlockWith(*r, "North")->section, "Regional results");
}

TEST_F(DocumentsTest, PlainTextParagraphsAndLanguage) {
  const auto file = Write("french.txt", std::string(kFrench) + "\n\n# pas un titre\n\n" + std::string(kFrench));
  auto r = SniffAndExtract(file, "french.txt", DocumentFormat::kText);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->blocks.size(), 3u);
  EXPECT_EQ(r->blocks[1].text, "# pas un titre");  // plain text has no headings
  EXPECT_EQ(r->blocks[1].section, "");
  EXPECT_FALSE(r->title.has_value());
  EXPECT_EQ(language_->Detect(AllText(*r)), "fr");
}

TEST_F(DocumentsTest, TextThatStopsBeingUtf8IsInvalid) {
  // The sniffer reads the head only; the extractor reads it all.
  const auto file = Write("latin1.txt", std::string(100000, 'a') + "\ncaf\xE9\n");
  ASSERT_EQ(*core::documents::SniffDocumentFormat(file, "latin1.txt"), DocumentFormat::kText);
  ExpectRefused(DocumentExtractor().Extract(file, DocumentFormat::kText), Reason::kInvalidDocument);
  ExpectRefused(DocumentExtractor().Extract(Write("blank.txt", " \n\n\t\n"), DocumentFormat::kText),
                Reason::kInvalidDocument);
}

TEST_F(DocumentsTest, EndlessLineStopsAtTheLimit) {
  ExtractLimits limits;
  limits.max_chars = 1000;
  auto r = DocumentExtractor(limits).Extract(Write("long.txt", std::string(300000, 'x')), DocumentFormat::kText);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->truncated);
  ASSERT_EQ(r->blocks.size(), 1u);
  EXPECT_EQ(r->blocks[0].text.size(), 1000u);
}

TEST_F(DocumentsTest, Languages) {
  EXPECT_EQ(language_->Detect(kGerman), "de");
  EXPECT_EQ(language_->Detect(kFrench), "fr");
  EXPECT_EQ(language_->Detect(""), "");
  EXPECT_EQ(language_->Detect("ok"), "");
  EXPECT_EQ(language_->Detect("Hello there, friend"), "");  // too short to be sure
  EXPECT_EQ(language_->Detect("1234 5678 9012 3456 7890 1234 5678 9012 3456"), "");
}

TEST_F(DocumentsTest, LanguageDataMissing) {
  auto r = TextcatLanguage::Create(dir_->path() / "no-such-dir");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace atrium::engines::documents
