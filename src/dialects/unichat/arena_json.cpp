#include "dialects/unichat/arena_json.hpp"

namespace atrium::dialects::unichat {

namespace json = boost::json;

json::object ArenaSessionJson(const core::arena::ArenaSession& s) {
  json::array ids;
  for (const auto& id : s.config_ids) ids.emplace_back(id);
  return {{"id", s.id},
          {"user_id", s.user_id},
          {"config_ids", ids},
          {"title", s.title},
          {"message_count", s.message_count},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

json::object ArenaMessageJson(const core::arena::ArenaMessage& m) {
  json::object o{{"id", m.id},
                 {"session_id", m.session_id},
                 {"role", m.role},
                 {"content", m.content},
                 {"created_at", m.created_at}};
  if (m.role == "assistant") {
    o["config_id"] = m.config_id;
    boost::system::error_code ec;
    json::value metadata = json::parse(m.metadata_json, ec);
    o["metadata"] = ec || !metadata.is_object() ? json::value(json::object{}) : std::move(metadata);
  }
  return o;
}

}  // namespace atrium::dialects::unichat
