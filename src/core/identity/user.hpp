#pragma once
// The people, devices and sessions behind every dialect's auth.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace atrium::core::identity {

enum class Role { kUser, kAdmin };
enum class UserStatus { kActive, kDisabled, kBanned };

std::string_view RoleName(Role r);
std::string_view StatusName(UserStatus s);

struct Usage {
  std::int64_t messages_sent = 0;
  std::int64_t tokens_used = 0;
  std::int64_t tokens_limit = -1;  // -1: unlimited
};

struct User {
  std::string id;
  std::string email;
  std::optional<std::string> username;
  std::string display_name;
  std::optional<std::string> avatar_url;
  std::string bio;
  std::string locale = "en-US";
  std::string timezone = "UTC";
  Role role = Role::kUser;
  UserStatus status = UserStatus::kActive;
  std::optional<std::string> ban_reason;
  bool email_verified = false;
  // Stored documents (JSON objects as text): unichat settings, secondbrain preferences.
  std::string settings_json = "{}";
  std::string preferences_json = "{}";
  Usage usage;
  std::string created_at;
  std::string updated_at;
  std::optional<std::string> last_login_at;
};

struct DeviceInfo {
  std::string fingerprint;
  std::string name;
  std::string type;
  std::string model;
  std::string os_version;
  std::string app_version;
};

struct Device {
  std::string id;
  std::string user_id;
  DeviceInfo info;
  bool trusted = false;
  std::string last_seen_at;
  std::string created_at;
};

struct Session {
  std::string id;
  std::string user_id;
  std::optional<std::string> device_id;
  std::optional<std::string> device_name;
  std::optional<std::string> device_type;
  std::string ip_address;
  std::string user_agent;
  std::optional<std::string> country;  // unknown without a geo database: null
  std::optional<std::string> city;
  std::string created_at;
  std::string last_activity_at;
};

// Who made a request, once their token or key checked out.
struct Principal {
  std::string user_id;
  std::string session_id;  // empty for API keys
  Role role = Role::kUser;
  // The access token's `exp` (seconds since the epoch): a connection opened with it
  // closes then. 0 for API keys, which do not expire.
  std::int64_t expires_at = 0;
};

}  // namespace atrium::core::identity
