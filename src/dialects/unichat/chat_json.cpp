#include "dialects/unichat/chat_json.hpp"

namespace atrium::dialects::unichat {

namespace {

namespace json = boost::json;

json::value OptText(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

}  // namespace

json::object ConversationJson(const core::chat::Conversation& c) {
  json::array tags;
  for (const auto& t : c.tags) tags.emplace_back(t);
  return {{"id", c.id},
          {"title", c.title},
          {"user_id", c.user_id},
          {"config_id", OptText(c.config_id)},
          {"folder_id", OptText(c.folder_id)},
          {"message_count", c.message_count},
          {"is_pinned", c.pinned},
          {"is_archived", c.archived},
          {"tags", std::move(tags)},
          {"summary", OptText(c.summary)},
          {"model_id", c.model.empty() ? json::value(nullptr) : json::value(c.model)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"last_message_at", OptText(c.last_message_at)},
          {"stats",
           {{"total_tokens", c.stats.total_tokens},
            {"input_tokens", c.stats.prompt_tokens},
            {"output_tokens", c.stats.completion_tokens},
            {"cost_usd", c.stats.cost_usd}}}};
}

json::object MetadataJson(const core::chat::GenerationMetadata& g, core::chat::MessageStatus status) {
  json::object o{
      {"model_id", g.model},
      {"tokens", {{"prompt", g.prompt_tokens}, {"completion", g.completion_tokens}, {"total", g.total_tokens}}},
      {"generation_time_ms", g.generation_ms},
      {"cost_usd", g.cost_usd ? json::value(*g.cost_usd) : json::value(nullptr)},
      {"finish_reason", g.finish_reason},
      {"tokens_estimated", g.tokens_estimated}};
  if (status == core::chat::MessageStatus::kCancelled) o["stopped"] = true;
  return o;
}

json::object MessageJson(const core::chat::Message& m) {
  json::array history;
  for (const auto& e : m.edit_history)
    history.push_back(json::object{{"content", e.content}, {"edited_at", e.edited_at}});
  json::object o{{"id", m.id},
                 {"conversation_id", m.conversation_id},
                 {"role", m.role},
                 {"content", m.content},
                 {"created_at", m.created_at},
                 {"updated_at", m.updated_at},
                 {"is_edited", !m.edit_history.empty()},
                 {"edit_history", std::move(history)}};
  if (m.generation) o["metadata"] = MetadataJson(*m.generation, m.status);
  return o;
}

}  // namespace atrium::dialects::unichat
