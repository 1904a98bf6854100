// Sniffing documents from their bytes on disk: names and extensions lie, only the bytes
// count (and the name only picks Markdown among text files); ZIPs are DOCX only with
// word/document.xml in their directory; anything else, cut short or garbage, is refused
// as unsupported with the exact reason.

#include "core/documents/document_format.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"
#include "support/zip_writer.hpp"

namespace atrium::core::documents {
namespace {

class DocumentFormatTest : public ::testing::Test {
 protected:
  std::filesystem::path Write(std::string_view bytes) {
    const auto path = dir_.path() / ("f" + std::to_string(n_++));
    std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return path;
  }
  Result<DocumentFormat> Sniff(std::string_view bytes, std::string_view name = "upload", SniffLimits limits = {}) {
    return SniffDocumentFormat(Write(bytes), name, limits);
  }
  void ExpectFormat(std::string_view bytes, std::string_view name, DocumentFormat format) {
    auto r = Sniff(bytes, name);
    ASSERT_TRUE(r.ok()) << r.error().internal_message();
    EXPECT_EQ(*r, format) << DocumentFormatName(*r);
  }
  void ExpectUnsupported(std::string_view bytes, std::string_view name = "upload", SniffLimits limits = {}) {
    auto r = Sniff(bytes, name, limits);
    ASSERT_FALSE(r.ok()) << DocumentFormatName(*r);
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().reason(), Reason::kUnsupportedDocument);
    EXPECT_EQ(r.error().safe_message(), "The file is not a PDF, Word (DOCX), plain-text or Markdown document");
  }

  static std::string Docx() {
    return testing::ZipWriter()
        .Add("[Content_Types].xml", "<Types/>")
        .Add("_rels/.rels", "<Relationships/>")
        .Add("word/document.xml", "<w:document/>")
        .Bytes();
  }

  testing::TempDir dir_;
  int n_ = 0;
};

TEST_F(DocumentFormatTest, PdfByItsHeaderWhateverItsName) {
  ExpectFormat("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n", "report.pdf", DocumentFormat::kPdf);
  ExpectFormat("%PDF-1.4\n", "notes.txt", DocumentFormat::kPdf);
  ExpectFormat("%PDF-1.4\n", "README.md", DocumentFormat::kPdf);
}

TEST_F(DocumentFormatTest, PdfHeaderOnlyAtTheStart) {
  // Not a PDF header: just text that mentions one.
  ExpectFormat(" %PDF-1.4\n", "a.pdf", DocumentFormat::kText);
  ExpectFormat("%PDF", "a.pdf", DocumentFormat::kText);
}

TEST_F(DocumentFormatTest, DocxIsAZipWithWordDocumentXml) {
  ExpectFormat(Docx(), "letter.docx", DocumentFormat::kDocx);
  ExpectFormat(Docx(), "letter.pdf", DocumentFormat::kDocx);
  ExpectFormat(Docx(), "", DocumentFormat::kDocx);
}

TEST_F(DocumentFormatTest, DocxWithACommentOrAStubBeforeIt) {
  ExpectFormat(testing::ZipWriter().Add("word/document.xml", "<x/>").Bytes("made by hand, PK\x05\x06 inside"), "a",
               DocumentFormat::kDocx);
  // Bytes before the archive shift every offset; the directory is still found right
  // before its end record. (The file must still start like a ZIP to be taken for one.)
  ExpectFormat("PK\x03\x04" + std::string(26, '\0') + Docx(), "a", DocumentFormat::kDocx);
  const std::string zip = Docx();
  ExpectFormat(zip.substr(0, 4) + std::string(100, 'x') + zip.substr(4), "a", DocumentFormat::kDocx);
}

TEST_F(DocumentFormatTest, OtherZipsAreUnsupported) {
  ExpectUnsupported(
      testing::ZipWriter().Add("[Content_Types].xml", "<Types/>").Add("xl/workbook.xml", "<workbook/>").Bytes(),
      "sheet.docx");
  ExpectUnsupported(testing::ZipWriter()
                        .Add("mimetype", "application/vnd.oasis.opendocument.text")
                        .Add("content.xml", "<office:document-content/>")
                        .Bytes(),
                    "text.odt");
  ExpectUnsupported(testing::ZipWriter().Add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n").Bytes(), "app.jar");
  // Near misses of the name.
  ExpectUnsupported(testing::ZipWriter().Add("word/document.xml.bak", "<x/>").Add("Word/Document.xml", "<x/>").Bytes());
  // An empty ZIP has no local header at all: binary, not text.
  ExpectUnsupported(testing::ZipWriter().Bytes());
}

TEST_F(DocumentFormatTest, ZipCutShortIsJudgedByItsLocalHeaders) {
  const std::string docx = Docx();
  // The directory is gone, but the local headers before the cut name word/document.xml.
  const std::size_t body_at = docx.find("word/document.xml");
  ExpectFormat(docx.substr(0, body_at + 20), "a.docx", DocumentFormat::kDocx);
  // Cut before that header: nothing says DOCX.
  ExpectUnsupported(docx.substr(0, 40), "a.docx");
  const std::string xlsx = testing::ZipWriter().Add("xl/workbook.xml", "<workbook/>").Bytes();
  ExpectUnsupported(xlsx.substr(0, xlsx.size() - 10), "a.docx");
}

TEST_F(DocumentFormatTest, ZipWhoseDirectoryIsLargerThanTheLimit) {
  SniffLimits limits;
  limits.zip_directory_bytes = 16;
  // Too large to read, so the local headers decide.
  auto r = Sniff(Docx(), "a", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, DocumentFormat::kDocx);
}

TEST_F(DocumentFormatTest, TextAndMarkdown) {
  ExpectFormat("Hello, world.\nSecond line.\n", "notes.txt", DocumentFormat::kText);
  ExpectFormat("# Title\n\nSome *text*.\n", "README.md", DocumentFormat::kMarkdown);
  ExpectFormat("# Title\n", "NOTES.MARKDOWN", DocumentFormat::kMarkdown);
  ExpectFormat("# Title\n", "dir/notes.Md", DocumentFormat::kMarkdown);
  ExpectFormat("# Title\n", "notes.md.txt", DocumentFormat::kText);
  ExpectFormat("# Title\n", "md", DocumentFormat::kText);
  // A lying name does not make text a PDF or a DOCX.
  ExpectFormat("plain words", "paper.pdf", DocumentFormat::kText);
  ExpectFormat("plain words", "letter.docx", DocumentFormat::kText);
  ExpectFormat("Grüße aus Köln – 東京 🙂\r\n", "a.txt", DocumentFormat::kText);
  ExpectFormat("\xEF\xBB\xBFWith a byte order mark", "a.txt", DocumentFormat::kText);
  ExpectFormat("page one\fpage two\ttabbed", "a.txt", DocumentFormat::kText);
  // Nothing in it: text, whose extraction then finds no text.
  ExpectFormat("", "empty.txt", DocumentFormat::kText);
}

TEST_F(DocumentFormatTest, BinaryAndOtherEncodingsAreUnsupported) {
  ExpectUnsupported(std::string("text\0with a NUL", 15), "a.txt");
  ExpectUnsupported("\xFF\xFE" + std::string("h\0i\0", 4), "utf16.txt");
  ExpectUnsupported("caf\xE9 au lait", "latin1.txt");      // ISO-8859-1
  ExpectUnsupported("\xC0\xAF overlong slash", "a.txt");   // an overlong form
  ExpectUnsupported("\xED\xA0\x80 a surrogate", "a.txt");  // UTF-16 surrogates are not UTF-8
  ExpectUnsupported("\xF4\x90\x80\x80 past U+10FFFF", "a.txt");
  ExpectUnsupported("ends inside a character \xE2\x82", "a.txt");
  ExpectUnsupported(
      "\x7F"
      "ELF\x02\x01\x01",
      "a.md");
  ExpectUnsupported("\x89PNG\r\n\x1A\n", "a.png");
  ExpectUnsupported("\x1B[31mred\x1B[0m \x1B[1mbold", "a.txt");  // too many control bytes
}

TEST_F(DocumentFormatTest, GarbageIsUnsupported) {
  std::uint32_t x = 12345;
  for (int round = 0; round < 20; ++round) {
    std::string bytes(200 + round * 37, '\0');
    for (char& c : bytes) {
      x = x * 1664525u + 1013904223u;
      c = static_cast<char>(x >> 24);
    }
    ExpectUnsupported(bytes, "random.txt");
  }
}

TEST_F(DocumentFormatTest, OnlyTheHeadOfTextIsRead) {
  SniffLimits limits;
  limits.text_bytes = 11;
  // The head ends inside "é": fine, the rest of the file continues it.
  auto r = Sniff("abcdefghij\xC3\xA9 and more text", "a.txt", limits);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, DocumentFormat::kText);
  // What lies past the head is not looked at (the extractor checks it).
  r = Sniff("clean head \xFF\xFF\xFF", "a.txt", limits);
  ASSERT_TRUE(r.ok());
  // A NUL within the head is seen.
  ExpectUnsupported(std::string("abc\0defghijkl", 13), "a.txt", limits);
}

TEST_F(DocumentFormatTest, MissingFileIsInternal) {
  auto r = SniffDocumentFormat(dir_.path() / "nope", "nope.txt");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kInternal);
  EXPECT_EQ(r.error().reason(), Reason::kNone);
}

TEST(DocumentFormatNames, MimeTypesAndNames) {
  EXPECT_EQ(DocumentFormatMime(DocumentFormat::kPdf), "application/pdf");
  EXPECT_EQ(DocumentFormatMime(DocumentFormat::kDocx),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(DocumentFormatMime(DocumentFormat::kText), "text/plain");
  EXPECT_EQ(DocumentFormatMime(DocumentFormat::kMarkdown), "text/markdown");
  EXPECT_EQ(DocumentFormatName(DocumentFormat::kPdf), "pdf");
  EXPECT_EQ(DocumentFormatName(DocumentFormat::kDocx), "docx");
  EXPECT_EQ(DocumentFormatName(DocumentFormat::kText), "text");
  EXPECT_EQ(DocumentFormatName(DocumentFormat::kMarkdown), "markdown");
}

}  // namespace
}  // namespace atrium::core::documents
