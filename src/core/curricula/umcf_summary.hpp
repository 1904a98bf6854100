#pragma once
// What a curriculum shows without its full document: the list endpoint's summary, the
// flat list of its topics (the nodes a learner plays, wherever they sit in the tree) and
// the media it names, ready for the media core to render. Pure, never throws.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "core/curricula/umcf_media_kind.hpp"
#include "core/media/map_renderer.hpp"
#include "core/result.hpp"

namespace atrium::core::curricula {

// A node of type topic, subtopic or lesson.
struct UmcfTopic {
  std::string id;
  std::string title;
  std::string description;
  std::string type;
  std::string path;                        // "content[0].children[1]"
  std::optional<double> duration_seconds;  // transcript.totalDuration
  std::size_t segment_count = 0;
  std::vector<std::string> media_ids;
};

// One media entry, with the source its kind is rendered from.
struct UmcfMediaAsset {
  std::string id;
  UmcfMediaKind kind = UmcfMediaKind::kImage;
  std::string type;     // as written ("equation", "chart")
  std::string node_id;  // the content node that names it
  std::string path;     // "content[0].children[0].media.embedded[1]"
  std::string title;
  std::string alt;             // alt, else alt_text
  std::string url;             // a rendered file, when it has one
  std::string diagram_format;  // diagrams with code: "mermaid", "graphviz", "plantuml", "d2"
  std::string code;
  std::string latex;  // formulas
  bool display_mode = true;
  std::optional<media::MapRequest> map;  // maps with a center
};

struct UmcfSummary {
  std::string id;
  std::string title;
  std::string description;
  std::string author;    // metadata.author
  std::string language;  // metadata.language
  std::string version;
  std::size_t node_count = 0;
  std::size_t topics_count = 0;
  std::optional<double> total_duration_seconds;  // the topics' durations, when any has one
  std::vector<UmcfTopic> topics;                 // in document order
  std::vector<UmcfMediaAsset> media;             // in document order
};

// The summary of doc; kInvalidArgument (naming the first problem) when ValidateUmcf
// finds any, so a summary is never made of a document that would not be stored.
Result<UmcfSummary> SummarizeUmcf(const boost::json::value& doc);

}  // namespace atrium::core::curricula
