#include "dialects/unichat/user_json.hpp"

#include <boost/json.hpp>

namespace atrium::dialects::unichat {

boost::json::object BriefUser(const core::identity::User& u, bool avatar) {
  boost::json::object o{
      {"id", u.id}, {"email", u.email}, {"display_name", u.display_name}, {"role", core::identity::RoleName(u.role)}};
  if (avatar) o["avatar_url"] = u.avatar_url ? boost::json::value(*u.avatar_url) : boost::json::value(nullptr);
  return o;
}

boost::json::object Profile(const core::identity::User& u) {
  return {{"display_name", u.display_name},
          {"avatar_url", u.avatar_url ? boost::json::value(*u.avatar_url) : boost::json::value(nullptr)},
          {"bio", u.bio}};
}

boost::json::object Settings(const core::identity::User& u) {
  boost::json::object out{{"theme", "dark"}, {"notifications_enabled", true}, {"language", "en"}};
  boost::system::error_code ec;
  const auto stored = boost::json::parse(u.settings_json, ec);
  if (!ec && stored.is_object()) {
    for (const auto& [k, v] : stored.as_object()) out[k] = v;
  }
  return out;
}

boost::json::object Usage(const core::identity::User& u) {
  return {{"messages_sent", u.usage.messages_sent},
          {"tokens_used", u.usage.tokens_used},
          {"tokens_limit", u.usage.tokens_limit}};
}

}  // namespace atrium::dialects::unichat
