#pragma once
// Validation of UMCF (Una Mentis Curriculum Format) documents: the JSON curricula the
// unamentis dialect stores, checked on every write. The caller parses the text; this
// walks the value and lists every problem it finds, each at the field it concerns, so a
// client can fix a document in one round. Unknown fields are ignored (documents written
// by newer tools stay accepted); known fields are checked for type and value.
// Pure, thread-safe, never throws. The rules and limits: docs/curricula.md.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

namespace atrium::core::curricula {

// The problem codes (UmcfProblem::code).
inline constexpr std::string_view kUmcfMissingField = "missing_field";
inline constexpr std::string_view kUmcfWrongType = "wrong_type";
inline constexpr std::string_view kUmcfInvalidValue = "invalid_value";
inline constexpr std::string_view kUmcfDuplicateId = "duplicate_id";
inline constexpr std::string_view kUmcfTooDeep = "too_deep";
inline constexpr std::string_view kUmcfTooLarge = "too_large";

// One field-level problem. path names the field the way a reader would point at it:
// "content[0].children[1].transcript.segments[2].content" ("" for the document itself).
struct UmcfProblem {
  std::string path;
  std::string code;     // one of the kUmcf* codes above
  std::string message;  // safe to show a client; names the path
  bool operator==(const UmcfProblem&) const = default;
};

struct UmcfLimits {
  std::size_t max_depth = 16;      // content[] is depth 1
  std::size_t max_nodes = 10000;   // content nodes in the whole document
  std::size_t max_id_bytes = 200;  // every id.value, segment id and media id
  std::size_t max_title_bytes = 500;
  std::size_t max_text_bytes = 1u << 20;  // any other string (segment content, code, LaTeX)
  std::size_t max_problems = 100;         // the walk stops reporting past this many
};

// Every problem of doc, in document order; empty when doc is a valid UMCF document.
std::vector<UmcfProblem> ValidateUmcf(const boost::json::value& doc, const UmcfLimits& limits = {});

}  // namespace atrium::core::curricula
