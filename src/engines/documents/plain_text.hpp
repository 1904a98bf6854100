#pragma once
// Plain text and Markdown files: read in blocks (never whole), checked to be UTF-8 all
// the way (the sniffer saw only the head), split into paragraphs at blank lines.
// Markdown's ATX (`# `..`###### `) and setext (=== / ---) headings become the sections
// of the blocks after them and are blocks themselves; the first level-1 heading is the
// title. Fenced code stays one block, and a `#` inside it is no heading. A YAML front
// matter block gives `title:` and `author:`.

#include <filesystem>

#include "core/documents/text_extractor.hpp"

namespace atrium::engines::documents {

core::Result<core::documents::ExtractedDocument> ExtractPlainText(const std::filesystem::path& file, bool markdown,
                                                                  const core::documents::ExtractLimits& limits);

}  // namespace atrium::engines::documents
