#include "core/curricula/umcf_validation.hpp"

#include <array>
#include <map>
#include <set>

#include "core/curricula/umcf_checker.hpp"
#include "core/curricula/umcf_duration.hpp"
#include "core/curricula/umcf_media_validation.hpp"

namespace atrium::core::curricula {

namespace json = boost::json;
using detail::Index;
using detail::Join;
using detail::Need;
using detail::UmcfChecker;

namespace {

// The node types UMCF authoring tools write; topics, subtopics and lessons are what a
// learner plays, the others group them.
constexpr std::array<std::string_view, 8> kNodeTypes = {"curriculum", "unit",   "module",  "topic",
                                                        "subtopic",   "lesson", "section", "segment"};

// "1", "1.0", "1.0.0": digits separated by single dots.
bool IsVersionNumber(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = '.';
  for (char c : s) {
    if (c == '.' && prev == '.') return false;
    if (c != '.' && (c < '0' || c > '9')) return false;
    prev = c;
  }
  return true;
}

// The state of one walk over content[]: ids seen so far and the node budget.
class NodeWalk {
 public:
  explicit NodeWalk(UmcfChecker& c) : c_(c) {}

  void Nodes(const json::array& nodes, const std::string& path, std::size_t depth);

 private:
  void Node(const json::object& node, const std::string& path, std::size_t depth);
  void NodeId(const json::object& node, const std::string& path);
  void Transcript(const json::object& node, const std::string& path);
  void Segment(const json::object& segment, const std::string& path, std::set<std::string, std::less<>>& ids);
  void SpeakingNotes(const json::object& segment, const std::string& path);
  void PronunciationGuide(const json::object& transcript, const std::string& path);

  UmcfChecker& c_;
  std::map<std::string, std::string, std::less<>> node_ids_;  // id -> path of its first node
  std::set<std::string, std::less<>> media_ids_;
  std::size_t nodes_ = 0;
  bool over_budget_ = false;
};

void NodeWalk::Nodes(const json::array& nodes, const std::string& path, std::size_t depth) {
  for (std::size_t i = 0; i < nodes.size() && !over_budget_; ++i) {
    const std::string at = Index(path, i);
    // Counted before anything else, so a wide document is stopped as early as a deep one.
    if (++nodes_ > c_.limits().max_nodes) {
      over_budget_ = true;
      c_.Report("content", kUmcfTooLarge,
                "content holds more than " + std::to_string(c_.limits().max_nodes) + " nodes");
      return;
    }
    // Nothing below the limit is looked at: the walk's own depth stays bounded.
    if (depth > c_.limits().max_depth) {
      c_.Report(at, kUmcfTooDeep, at + " is nested deeper than " + std::to_string(c_.limits().max_depth) + " levels");
      continue;
    }
    if (const json::object* node = c_.AsObject(nodes[i], at)) Node(*node, at, depth);
  }
}

void NodeWalk::Node(const json::object& node, const std::string& path, std::size_t depth) {
  NodeId(node, path);
  (void)c_.Text(node, "title", path, Need::kRequired, c_.limits().max_title_bytes);
  (void)c_.OneOf(node, "type", path, Need::kRequired, kNodeTypes);
  (void)c_.Text(node, "description", path, Need::kOptional, c_.limits().max_text_bytes);
  (void)c_.Number(node, "orderIndex", path, Need::kOptional, 0, 1e9);
  Transcript(node, path);
  detail::CheckNodeMedia(node, path, c_, media_ids_);
  if (const json::array* children = c_.Array(node, "children", path, Need::kOptional)) {
    Nodes(*children, Join(path, "children"), depth + 1);
  }
}

void NodeWalk::NodeId(const json::object& node, const std::string& path) {
  const json::object* id = c_.Object(node, "id", path, Need::kRequired);
  if (id == nullptr) return;
  const std::string id_path = Join(path, "id");
  const auto value = c_.Id(*id, "value", id_path, Need::kRequired);
  if (!value) return;
  // Topics are addressed by id (/topics/{topic_id}); a second node with one would be unreachable.
  const auto [first, inserted] = node_ids_.emplace(std::string(*value), path);
  if (!inserted) {
    const std::string at = Join(id_path, "value");
    c_.Report(at, kUmcfDuplicateId, at + " \"" + std::string(*value) + "\" is already the id of " + first->second);
  }
}

// transcript: {segments: [...], totalDuration?, pronunciationGuide?}, the spec's shape.
void NodeWalk::Transcript(const json::object& node, const std::string& path) {
  const json::object* transcript = c_.Object(node, "transcript", path, Need::kOptional);
  if (transcript == nullptr) return;
  const std::string t_path = Join(path, "transcript");
  if (const json::array* segments = c_.Array(*transcript, "segments", t_path, Need::kRequired)) {
    const std::string s_path = Join(t_path, "segments");
    std::set<std::string, std::less<>> ids;  // segment ids are unique within their transcript
    for (std::size_t i = 0; i < segments->size(); ++i) {
      const std::string at = Index(s_path, i);
      if (const json::object* segment = c_.AsObject((*segments)[i], at)) Segment(*segment, at, ids);
    }
  }
  if (const auto d = c_.String(*transcript, "totalDuration", t_path, Need::kOptional); d && !ParseUmcfDuration(*d)) {
    const std::string at = Join(t_path, "totalDuration");
    c_.Report(at, kUmcfInvalidValue, at + " must be an ISO 8601 duration such as \"PT45M\"");
  }
  PronunciationGuide(*transcript, t_path);
}

void NodeWalk::Segment(const json::object& segment, const std::string& path, std::set<std::string, std::less<>>& ids) {
  if (const auto id = c_.Id(segment, "id", path, Need::kRequired); id && !ids.emplace(*id).second) {
    const std::string at = Join(path, "id");
    c_.Report(at, kUmcfDuplicateId, at + " \"" + std::string(*id) + "\" names another segment of this transcript");
  }
  // Segment types vary between authoring tools ("introduction", "lecture", "checkpoint"...):
  // any short name is accepted.
  (void)c_.Text(segment, "type", path, Need::kRequired, 64);
  (void)c_.Text(segment, "content", path, Need::kRequired, c_.limits().max_text_bytes);
  SpeakingNotes(segment, path);
}

void NodeWalk::SpeakingNotes(const json::object& segment, const std::string& path) {
  const json::object* notes = c_.Object(segment, "speakingNotes", path, Need::kOptional);
  if (notes == nullptr) return;
  const std::string at = Join(path, "speakingNotes");
  (void)c_.String(*notes, "pace", at, Need::kOptional);
  c_.Strings(*notes, "emphasis", at, Need::kOptional);
  (void)c_.Bool(*notes, "pauseAfter", at, Need::kOptional);
  (void)c_.String(*notes, "emotionalTone", at, Need::kOptional);
}

// pronunciationGuide: {term: {ipa?, respelling?, language?}}, at least one of the first two.
void NodeWalk::PronunciationGuide(const json::object& transcript, const std::string& path) {
  const json::object* guide = c_.Object(transcript, "pronunciationGuide", path, Need::kOptional);
  if (guide == nullptr) return;
  const std::string g_path = Join(path, "pronunciationGuide");
  for (const auto& [term, entry_value] : *guide) {
    const std::string at = Join(g_path, term);
    const json::object* entry = c_.AsObject(entry_value, at);
    if (entry == nullptr) continue;
    const auto ipa = c_.Text(*entry, "ipa", at, Need::kOptional, c_.limits().max_title_bytes);
    const auto respelling = c_.Text(*entry, "respelling", at, Need::kOptional, c_.limits().max_title_bytes);
    (void)c_.String(*entry, "language", at, Need::kOptional);
    if (!ipa && !respelling && !entry->contains("ipa") && !entry->contains("respelling")) {
      c_.Report(at, kUmcfMissingField, at + " needs an ipa or a respelling");
    }
  }
}

void CheckHeader(const json::object& root, UmcfChecker& c) {
  if (const auto format = c.String(root, "formatIdentifier", "", Need::kRequired); format && *format != "umcf") {
    c.Report("formatIdentifier", kUmcfInvalidValue, "formatIdentifier must be \"umcf\"");
  }
  if (const json::object* id = c.Object(root, "id", "", Need::kRequired)) {
    (void)c.Id(*id, "value", "id", Need::kRequired);
  }
  (void)c.Text(root, "title", "", Need::kRequired, c.limits().max_title_bytes);
  (void)c.Text(root, "description", "", Need::kOptional, c.limits().max_text_bytes);
  if (const json::object* version = c.Object(root, "version", "", Need::kRequired)) {
    const auto number = c.String(*version, "number", "version", Need::kRequired);
    if (number && !IsVersionNumber(*number)) {
      c.Report("version.number", kUmcfInvalidValue, "version.number must be digits and dots, such as \"1.0.0\"");
    }
  }
  if (const json::object* metadata = c.Object(root, "metadata", "", Need::kOptional)) {
    (void)c.Text(*metadata, "language", "metadata", Need::kOptional, 35);  // a BCP 47 tag
    (void)c.Text(*metadata, "author", "metadata", Need::kOptional, c.limits().max_title_bytes);
    c.Strings(*metadata, "keywords", "metadata", Need::kOptional);
  }
}

}  // namespace

std::vector<UmcfProblem> ValidateUmcf(const json::value& doc, const UmcfLimits& limits) {
  UmcfChecker c(limits);
  const json::object* root = c.AsObject(doc, "");
  if (root == nullptr) return c.Take();
  CheckHeader(*root, c);
  if (const json::array* content = c.Array(*root, "content", "", Need::kRequired)) {
    NodeWalk(c).Nodes(*content, "content", 1);
  }
  return c.Take();
}

}  // namespace atrium::core::curricula
