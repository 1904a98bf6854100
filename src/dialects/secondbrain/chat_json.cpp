#include "dialects/secondbrain/chat_json.hpp"

#include <boost/json.hpp>

#include "dialects/secondbrain/chat_turn.hpp"
#include "dialects/secondbrain/context.hpp"

namespace atrium::dialects::secondbrain {

namespace json = boost::json;

namespace {

json::array Tags(const std::vector<std::string>& tags) {
  json::array a;
  for (const auto& t : tags) a.emplace_back(t);
  return a;
}

}  // namespace

json::object ConversationJson(const core::chat::Conversation& c) {
  return {{"id", c.id},
          {"title", c.title},
          {"summary", c.summary ? json::value(*c.summary) : json::value(nullptr)},
          {"tags", Tags(c.tags)},
          {"createdAt", SpecTimestamp(c.created_at)},
          {"updatedAt", SpecTimestamp(c.updated_at)}};
}

json::object ConversationSummaryJson(const core::chat::Conversation& c) {
  json::object o = ConversationJson(c);
  o["messageCount"] = c.message_count;
  return o;
}

json::object MessageJson(const core::chat::Message& m) {
  json::object meta;
  if (m.role == "assistant") {
    meta = AnswerMetadata(m);
    if (m.status == core::chat::MessageStatus::kCancelled) meta["stopped"] = true;
  } else {
    meta["voiceInput"] = m.annotations.voice_input;
  }
  return {{"id", m.id},
          {"role", m.role},
          {"content", m.content},
          {"timestamp", SpecTimestamp(m.created_at)},
          {"metadata", std::move(meta)}};
}

}  // namespace atrium::dialects::secondbrain
