#include "core/memory/fact_extraction.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "core/llm/json_reply.hpp"
#include "core/memory/memory_service.hpp"

namespace atrium::core::memory {

namespace {

namespace json = boost::json;

// The phrase "long-term memory" in the first sentence is what test upstreams key on
// (tests/upstream/README.md, reply rules).
constexpr std::string_view kExtractionPrompt =
    "You pick out facts worth keeping in a personal assistant's long-term memory from the user's message. "
    "Keep only lasting, specific facts about the user: who they are, their work, the people, places and things "
    "in their life, their likes, dislikes and plans, and notable events. Leave out greetings, questions, "
    "requests to the assistant, small talk and anything that is only true for this conversation. Write each "
    "fact as one short sentence about the user in the third person (\"User works at XYZ Corp\"). "
    "Answer with JSON only, in this form: "
    "{\"facts\": [{\"text\": \"User works at XYZ Corp\", \"type\": \"fact\", \"importance\": 0.8}]} "
    "where type is fact, preference or event and importance is a number from 0 to 1. "
    "Answer {\"facts\": []} when nothing is worth keeping.";

constexpr std::string_view kMessagePrefix = "The user said:\n";

std::string Cut(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a UTF-8 sequence
  return std::string(text.substr(0, end));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const json::string* StringField(const json::object& o, std::initializer_list<std::string_view> keys) {
  for (const auto key : keys) {
    if (const auto* v = o.if_contains(key); v != nullptr && v->is_string()) return &v->as_string();
  }
  return nullptr;
}

// One fact from an item of the list; nullopt for an item that is none.
std::optional<ExtractedFact> ReadFact(const json::value& item) {
  ExtractedFact fact;
  std::string_view text;
  if (item.is_string()) {
    text = item.as_string();
  } else if (item.is_object()) {
    const auto& o = item.as_object();
    const auto* t = StringField(o, {"text", "fact", "content"});
    if (t == nullptr) return std::nullopt;
    text = *t;
    if (const auto* type = o.if_contains("type"); type != nullptr && type->is_string()) {
      fact.type = TypeFromName(Lower(type->as_string())).value_or(MemoryType::kFact);
    }
    if (const auto* imp = o.if_contains("importance"); imp != nullptr && imp->is_number()) {
      const double v = imp->to_number<double>();
      if (std::isfinite(v)) fact.importance = std::clamp(v, 0.0, 1.0);
    }
  } else {
    return std::nullopt;
  }
  auto cleaned = CleanContent(text);
  if (!cleaned || cleaned->size() > kMaxFactBytes) return std::nullopt;
  fact.text = std::move(*cleaned);
  return fact;
}

// The list of facts a reply's JSON holds; nullptr when it holds none.
const json::array* FactList(const json::value& v, json::array& single) {
  if (v.is_array()) return &v.as_array();
  if (!v.is_object()) return nullptr;
  const auto& o = v.as_object();
  for (const auto key : {"facts", "memories"}) {
    if (const auto* list = o.if_contains(key); list != nullptr && list->is_array()) return &list->as_array();
  }
  if (StringField(o, {"text", "fact", "content"}) != nullptr) {
    single.push_back(v);
    return &single;
  }
  return nullptr;
}

}  // namespace

llm::GenerationRequest FactExtractionRequest(std::string_view message, const std::string& model) {
  llm::GenerationRequest r;
  r.model = model;
  r.system_prompt = std::string(kExtractionPrompt);
  // Framed, so the request is never mistaken for the turn itself (same last message).
  r.messages = {{"user", std::string(kMessagePrefix) + Cut(message, kMaxExtractionInput)}};
  r.sampling.temperature = 0;
  r.sampling.max_tokens = 600;
  return r;
}

Result<std::vector<ExtractedFact>> ParseExtraction(std::string_view reply) {
  const auto value = llm::FirstJsonValue(reply);
  json::array single;
  const json::array* list = value ? FactList(*value, single) : nullptr;
  if (list == nullptr) return Error(ErrorCode::kInvalidArgument, "The reply holds no list of facts");
  std::vector<ExtractedFact> facts;
  std::vector<std::string> seen;
  for (const auto& item : *list) {
    if (facts.size() == kMaxFactsPerMessage) break;
    auto fact = ReadFact(item);
    if (!fact) continue;
    std::string key = NormaliseFact(fact->text);
    if (key.empty() || std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(std::move(key));
    facts.push_back(std::move(*fact));
  }
  return facts;
}

std::string NormaliseFact(std::string_view text) {
  std::string out;
  bool gap = false;
  for (const char raw : text) {
    const auto c = static_cast<unsigned char>(raw);
    const bool word = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!word) {
      gap = !out.empty();
      continue;
    }
    if (gap) out.push_back(' ');
    gap = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : raw);
  }
  return out;
}

}  // namespace atrium::core::memory
