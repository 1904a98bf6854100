#include "storage/sql/conversation_rows.hpp"

#include <boost/json.hpp>

#include "storage/sql/sql_values.hpp"

namespace atrium::storage::sql {

namespace {

namespace json = boost::json;
using core::chat::GenerationMetadata;
using core::chat::Message;
using core::chat::MessageEdit;
using core::chat::MessageStatus;

std::vector<MessageEdit> EditsFrom(const std::string& text) {
  std::vector<MessageEdit> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& e : v.as_array()) {
    if (!e.is_object()) continue;
    const auto* c = e.as_object().if_contains("content");
    const auto* at = e.as_object().if_contains("edited_at");
    out.push_back({c && c->is_string() ? std::string(c->as_string()) : "",
                   at && at->is_string() ? std::string(at->as_string()) : ""});
  }
  return out;
}

}  // namespace

std::string AnnotationsText(const core::chat::MessageAnnotations& a) {
  json::object o;
  if (a.voice_input) o["voice_input"] = true;
  if (!a.context_ids.empty()) {
    json::array ids;
    for (const auto& id : a.context_ids) ids.emplace_back(id);
    o["context_ids"] = std::move(ids);
  }
  return json::serialize(o);
}

core::chat::MessageAnnotations AnnotationsFrom(const std::string& text) {
  core::chat::MessageAnnotations a;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return a;
  const auto& o = v.as_object();
  if (const auto* voice = o.if_contains("voice_input"); voice && voice->is_bool()) a.voice_input = voice->as_bool();
  if (const auto* ids = o.if_contains("context_ids"); ids && ids->is_array()) {
    for (const auto& id : ids->as_array()) {
      if (id.is_string()) a.context_ids.emplace_back(id.as_string());
    }
  }
  return a;
}

const char* const kMessageColumns =
    "id, conversation_id, role, content, status, model, prompt_tokens, completion_tokens, total_tokens,"
    " tokens_estimated, generation_ms, first_token_ms, cost_usd, finish_reason, edit_history, created_at, updated_at,"
    " annotations";

// The message columns of `kMessageColumns`, each qualified with `table`.
std::string QualifiedMessageColumns(std::string_view table) {
  std::string out;
  std::string_view rest = kMessageColumns;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view column = rest.substr(0, comma);
    while (!column.empty() && column.front() == ' ') column.remove_prefix(1);
    if (!out.empty()) out += ", ";
    out += table;
    out += '.';
    out += column;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

Message MessageFrom(const std::vector<Value>& r) {
  Message m;
  m.id = Text(r[0]);
  m.conversation_id = Text(r[1]);
  m.role = Text(r[2]);
  m.content = Text(r[3]);
  m.status = Text(r[4]) == "cancelled" ? MessageStatus::kCancelled : MessageStatus::kComplete;
  if (m.role == "assistant") {
    GenerationMetadata g;
    g.model = Text(r[5]);
    g.prompt_tokens = Int(r[6]);
    g.completion_tokens = Int(r[7]);
    g.total_tokens = Int(r[8]);
    g.tokens_estimated = Int(r[9]) != 0;
    g.generation_ms = Int(r[10]);
    g.first_token_ms = Int(r[11]);
    g.cost_usd = AsDouble(r[12]);
    g.finish_reason = Text(r[13]);
    m.generation = g;
  }
  m.edit_history = EditsFrom(Text(r[14]));
  m.created_at = Text(r[15]);
  m.updated_at = Text(r[16]);
  m.annotations = AnnotationsFrom(Text(r[17], "{}"));
  return m;
}

}  // namespace atrium::storage::sql
