#pragma once
// Splits a document's blocks into chunks of about `target_chars` characters (code
// points) for embedding and retrieval. The rule:
//   - consecutive blocks of the same section are joined (blank line between them); a
//     new section starts a new chunk, so a chunk never mixes two sections;
//   - a run longer than the target is cut at the last paragraph break in the second half
//     of the window, else the last sentence end (. ! ? and their CJK forms, then a space),
//     else the last space, else between two characters;
//   - the next chunk of the run starts `overlap_chars` before the cut, moved forward to
//     the start of a word, and always past the previous chunk's start;
//   - a chunk's page is the page of the block its first character comes from.
// Never cuts inside a UTF-8 sequence. Deterministic: the same blocks give the same chunks.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/documents/text_extractor.hpp"

namespace atrium::core::documents {

struct ChunkOptions {
  std::size_t target_chars = 1000;  // at least 1
  std::size_t overlap_chars = 150;  // capped at half the target
};

struct Chunk {
  int index = 0;        // 0-based, in document order
  std::string text;     // trimmed, never empty
  int page = 0;         // where the chunk starts (0: the format has no pages)
  std::string section;  // the heading its blocks fall under, or empty
};

std::vector<Chunk> ChunkDocument(std::span<const DocumentBlock> blocks, const ChunkOptions& options = {});

}  // namespace atrium::core::documents
