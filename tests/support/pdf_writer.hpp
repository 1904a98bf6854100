#pragma once
// Small, valid PDF files for tests, written byte by byte (no library): Helvetica text,
// an Info dictionary, and a cross-reference table with the real offsets.

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::testing {

inline std::string PdfString(std::string_view s) {
  std::string out = "(";
  for (char c : s) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

// A PDF 1.4 file: one page per entry of `pages`, each line of it drawn in Helvetica, an
// Info dictionary with Title and Author, and a cross-reference table whose offsets are
// counted as the objects are written.
inline std::string MakePdf(const std::vector<std::vector<std::string>>& pages, std::string_view title,
                           std::string_view author) {
  std::vector<std::string> objects;
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i) kids += std::to_string(5 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [ " + kids + "] /Count " + std::to_string(pages.size()) + " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back("<< /Title " + PdfString(title) + " /Author " + PdfString(author) + " /Producer (atrium tests) >>");
  for (std::size_t i = 0; i < pages.size(); ++i) {
    std::string content = "BT\n/F1 12 Tf\n16 TL\n72 720 Td\n";
    for (const auto& line : pages[i]) content += PdfString(line) + " Tj T*\n";
    content += "ET\n";
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
        "/Contents " +
        std::to_string(6 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream");
  }
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R /Info 4 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace atrium::testing
