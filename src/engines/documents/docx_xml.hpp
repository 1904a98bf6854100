#pragma once
// WordprocessingML, parsed as a stream with expat (SAX): word/document.xml arrives in the
// pieces libarchive inflates, so a large document is never held whole as XML.
//   - every w:p is a block; w:tab, w:br and w:cr are kept as a tab and line breaks;
//   - a paragraph styled Title or Heading1..Heading6 (or with an outline level 0-5) is a
//     heading: its own block, and the section of the blocks after it;
//   - a table row is one block, its cells' text joined by " | " (a nested table's rows
//     go into the cell that holds them);
//   - deleted and moved-away text (tracked changes), field codes and the fallback copy of
//     mc:AlternateContent are left out.
// A DOCTYPE is refused: WordprocessingML has none, and refusing it refuses every entity
// expansion trick with it. No external entity is ever loaded.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/documents/document_builder.hpp"
#include "core/result.hpp"

namespace atrium::engines::documents {

class DocxBodyParser {
 public:
  // Blocks go to `out` (which must outlive the parser).
  explicit DocxBodyParser(core::documents::DocumentBuilder& out);
  ~DocxBodyParser();
  DocxBodyParser(const DocxBodyParser&) = delete;
  DocxBodyParser& operator=(const DocxBodyParser&) = delete;

  // The next bytes of the XML; `last` with the final ones (empty is fine). InvalidDocument
  // for XML that is not well-formed, is cut short or has a DOCTYPE. After the builder's
  // budget is spent the parser stops and every later call is a no-op success.
  core::Result<void> Feed(std::string_view bytes, bool last);
  // True once the budget is spent: the caller may stop reading.
  bool stopped() const;

  struct State;  // expat's handlers and what they collect (docx_xml.cpp)

 private:
  std::unique_ptr<State> state_;
};

struct DocxProperties {
  std::optional<std::string> title;   // dc:title
  std::optional<std::string> author;  // dc:creator
};

// docProps/core.xml, whole (it is small). Empty properties for XML that cannot be read:
// they are a nicety, not the document.
DocxProperties ParseDocxProperties(std::string_view xml);

}  // namespace atrium::engines::documents
