#include "app/config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "support/temp_dir.hpp"

namespace atrium::app {
namespace {

using Env = std::map<std::string, std::string>;

class ConfigTest : public ::testing::Test {
 protected:
  // Writes `toml` to a file in the test's directory and returns its path.
  std::string File(const std::string& toml, const std::string& name = "atrium.toml") {
    const std::string path = dir_.File(name);
    std::ofstream(path) << toml;
    return path;
  }

  core::Result<Config> Load(std::optional<std::string> file, Env env = {}) {
    ConfigSources sources;
    sources.file_path = std::move(file);
    sources.env = [env = std::move(env), this](const std::string& name) -> std::optional<std::string> {
      looked_up_.push_back(name);
      if (auto it = env.find(name); it != env.end()) return it->second;
      return std::nullopt;
    };
    return LoadConfig(sources);
  }

  // The error message of a load that must fail.
  std::string Error(std::optional<std::string> file, Env env = {}) {
    auto r = Load(std::move(file), std::move(env));
    if (r.ok()) {
      ADD_FAILURE() << "the configuration loaded";
      return "";
    }
    EXPECT_EQ(r.error().code(), core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().safe_message().find('\n'), std::string::npos) << "not one line";
    return r.error().safe_message();
  }

  testing::TempDir dir_;
  std::vector<std::string> looked_up_;
};

TEST(EnvNameTest, UpperCasesAndReplacesDots) {
  EXPECT_EQ(EnvName("server.io_threads"), "ATRIUM_SERVER_IO_THREADS");
  EXPECT_EQ(EnvName("cors.allowed_origins"), "ATRIUM_CORS_ALLOWED_ORIGINS");
  EXPECT_EQ(EnvName("dialects.pisovereign.port"), "ATRIUM_DIALECTS_PISOVEREIGN_PORT");
  EXPECT_EQ(EnvName("data.dir"), "ATRIUM_DATA_DIR");
}

TEST_F(ConfigTest, Defaults) {
  auto r = Load(std::nullopt);
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  const Config& c = *r;
  ASSERT_EQ(c.dialects.size(), 6u);
  const std::map<std::string, int> ports = {{"unamentis", 8766},   {"unichat", 5000}, {"secondbrain", 8000},
                                            {"pisovereign", 3000}, {"mira", 8400},    {"openai", 8080}};
  for (const auto& [name, port] : ports) {
    ASSERT_TRUE(c.dialects.contains(name)) << name;
    EXPECT_TRUE(c.dialects.at(name).enabled) << name;
    EXPECT_EQ(c.dialects.at(name).port, port) << name;
  }
  EXPECT_EQ(c.data_dir, "./data");
  EXPECT_EQ(c.server.bind_address, "0.0.0.0");
  EXPECT_EQ(c.server.io_threads, 0);  // one per core
  EXPECT_EQ(c.server.max_header_bytes, 16u * 1024);
  EXPECT_EQ(c.server.header_timeout, std::chrono::milliseconds{10000});
  EXPECT_EQ(c.worker_threads, 4);
  EXPECT_EQ(c.worker_queue, 1024u);
  EXPECT_EQ(c.default_body_limit, 64u * 1024);
  EXPECT_TRUE(c.cors_origins.empty());
  EXPECT_TRUE(c.cors_allow_credentials);
  EXPECT_EQ(c.sqlite_readers, 2);
  EXPECT_TRUE(c.sqlite_group_commit);
  EXPECT_EQ(c.client_log_max_entries, 100000);
  EXPECT_EQ(c.log_level, "info");
  EXPECT_TRUE(c.access_log);
  // Every key was looked up in the environment under its ATRIUM_ name.
  EXPECT_NE(std::find(looked_up_.begin(), looked_up_.end(), "ATRIUM_SERVER_IO_THREADS"), looked_up_.end());
  EXPECT_NE(std::find(looked_up_.begin(), looked_up_.end(), "ATRIUM_DIALECTS_MIRA_PORT"), looked_up_.end());
}

TEST_F(ConfigTest, RequestHeadAndPerAddressLimits) {
  auto defaults = Load(std::nullopt);
  ASSERT_TRUE(defaults.ok()) << defaults.error().safe_message();
  EXPECT_EQ(defaults->server.max_request_line_bytes, 8u * 1024);
  EXPECT_EQ(defaults->server.max_header_fields, 100u);
  EXPECT_EQ(defaults->server.max_connections_per_address, 256u);
  auto set = Load(File("[server]\nmax_request_line_bytes = 4096\nmax_header_fields = 50\n"),
                  {{"ATRIUM_SERVER_MAX_CONNECTIONS_PER_ADDRESS", "0"}});
  ASSERT_TRUE(set.ok()) << set.error().safe_message();
  EXPECT_EQ(set->server.max_request_line_bytes, 4096u);
  EXPECT_EQ(set->server.max_header_fields, 50u);
  EXPECT_EQ(set->server.max_connections_per_address, 0u);  // no cap
  EXPECT_EQ(Error(File("[server]\nmax_header_fields = 0\n")),
            "server.max_header_fields: must be between 1 and 10000 (got 0)");
  EXPECT_EQ(Error(File("[server]\nmax_request_line_bytes = 100\n")),
            "server.max_request_line_bytes: must be between 256 and 1048576 (got 100)");
}

TEST_F(ConfigTest, NoEnvironmentLookupIsFine) {
  ConfigSources sources;  // no file, no env function
  auto r = LoadConfig(sources);
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->dialects.at("unichat").port, 5000);
}

TEST_F(ConfigTest, FileOverridesDefaults) {
  const auto path = File(R"(
[server]
bind = "127.0.0.1"
io_threads = 8
header_timeout_ms = 2500
worker_threads = 2
default_body_limit = 2048

[cors]
allowed_origins = ["https://app.example", "*"]
allow_credentials = false

[data]
dir = "/var/lib/atrium"

[storage]
sqlite_readers = 4
group_commit = false

[client_logs]
max_entries = 50

[log]
level = "debug"
access_log = false

[dialects.unichat]
port = 5050

[dialects.mira]
enabled = false
)");
  auto r = Load(path);
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  const Config& c = *r;
  EXPECT_EQ(c.server.bind_address, "127.0.0.1");
  EXPECT_EQ(c.server.io_threads, 8);
  EXPECT_EQ(c.server.header_timeout, std::chrono::milliseconds{2500});
  EXPECT_EQ(c.worker_threads, 2);
  EXPECT_EQ(c.default_body_limit, 2048u);
  EXPECT_EQ(c.cors_origins, (std::vector<std::string>{"https://app.example", "*"}));
  EXPECT_FALSE(c.cors_allow_credentials);
  EXPECT_EQ(c.data_dir, "/var/lib/atrium");
  EXPECT_EQ(c.sqlite_readers, 4);
  EXPECT_FALSE(c.sqlite_group_commit);
  EXPECT_EQ(c.client_log_max_entries, 50);
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_FALSE(c.access_log);
  EXPECT_EQ(c.dialects.at("unichat").port, 5050);
  EXPECT_TRUE(c.dialects.at("unichat").enabled);
  EXPECT_FALSE(c.dialects.at("mira").enabled);
  EXPECT_EQ(c.dialects.at("mira").port, 8400);
  EXPECT_EQ(c.dialects.at("unamentis").port, 8766);  // untouched
}

TEST_F(ConfigTest, DottedKeysInTomlWork) {
  auto r = Load(File("server.io_threads = 3\ndialects.unichat.port = 0\n"));
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->server.io_threads, 3);
  EXPECT_EQ(r->dialects.at("unichat").port, 0);
}

TEST_F(ConfigTest, EnvironmentWinsOverFile) {
  const auto path = File("[server]\nio_threads = 8\n[data]\ndir = \"/from/file\"\n");
  auto r = Load(path, {{"ATRIUM_SERVER_IO_THREADS", "16"}});
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->server.io_threads, 16);
  EXPECT_EQ(r->data_dir, "/from/file");
}

TEST_F(ConfigTest, EnvironmentValuesOfEveryType) {
  auto r = Load(std::nullopt, {{"ATRIUM_LOG_ACCESS_LOG", "off"},
                               {"ATRIUM_CORS_ALLOW_CREDENTIALS", "no"},
                               {"ATRIUM_CORS_ALLOWED_ORIGINS", " https://a.example, https://b.example ,,"},
                               {"ATRIUM_DATA_DIR", "/env/data"},
                               {"ATRIUM_DIALECTS_MIRA_ENABLED", "0"},
                               {"ATRIUM_DIALECTS_UNICHAT_PORT", "5001"},
                               {"ATRIUM_SERVER_SHUTDOWN_GRACE_MS", "0"}});
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_FALSE(r->access_log);
  EXPECT_FALSE(r->cors_allow_credentials);
  EXPECT_EQ(r->cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  EXPECT_EQ(r->data_dir, "/env/data");
  EXPECT_FALSE(r->dialects.at("mira").enabled);
  EXPECT_EQ(r->dialects.at("unichat").port, 5001);
  EXPECT_EQ(r->server.shutdown_grace, std::chrono::milliseconds{0});
}

TEST_F(ConfigTest, EnvironmentBoolSpellings) {
  for (const char* yes : {"true", "1", "yes", "on"}) {
    auto r = Load(std::nullopt, {{"ATRIUM_LOG_ACCESS_LOG", "false"}, {"ATRIUM_CORS_ALLOW_CREDENTIALS", yes}});
    ASSERT_TRUE(r.ok()) << yes;
    EXPECT_TRUE(r->cors_allow_credentials) << yes;
  }
}

TEST_F(ConfigTest, UnknownKey) {
  EXPECT_EQ(Error(File("[server]\nio_thread = 3\n")), "server.io_thread: unknown setting");
  EXPECT_EQ(Error(File("verbose = true\n")), "verbose: unknown setting");
  EXPECT_EQ(Error(File("[dialects.irc]\nport = 6667\n")), "dialects.irc.port: unknown setting");
}

TEST_F(ConfigTest, WrongType) {
  EXPECT_EQ(Error(File("[server]\nio_threads = \"eight\"\n")), "server.io_threads: must be an integer");
  EXPECT_EQ(Error(File("[server]\nio_threads = 2.5\n")), "server.io_threads: must be an integer");
  EXPECT_EQ(Error(File("[log]\naccess_log = \"yes\"\n")), "log.access_log: must be true or false");
  EXPECT_EQ(Error(File("[data]\ndir = 5\n")), "data.dir: must be a string");
  EXPECT_EQ(Error(File("[cors]\nallowed_origins = \"https://a.example\"\n")),
            "cors.allowed_origins: must be a list of strings");
  EXPECT_EQ(Error(File("[cors]\nallowed_origins = [\"https://a.example\", 3]\n")),
            "cors.allowed_origins: must be a list of strings");
}

TEST_F(ConfigTest, OutOfRange) {
  EXPECT_EQ(Error(File("[server]\nio_threads = 999\n")), "server.io_threads: must be between 0 and 256 (got 999)");
  EXPECT_EQ(Error(File("[server]\nio_threads = -1\n")), "server.io_threads: must be between 0 and 256 (got -1)");
  EXPECT_EQ(Error(File("[server]\nheader_timeout_ms = 5\n")),
            "server.header_timeout_ms: must be between 100 and 3600000 milliseconds (got 5)");
  EXPECT_EQ(Error(File("[server]\nworker_threads = 0\n")), "server.worker_threads: must be between 1 and 256 (got 0)");
  EXPECT_EQ(Error(File("[dialects.mira]\nport = 70000\n")),
            "dialects.mira.port: must be between 0 and 65535 (got 70000)");
  EXPECT_EQ(Error(File("[log]\nlevel = \"loud\"\n")),
            "log.level: must be one of trace, debug, info, warn, error, critical, off (got 'loud')");
  EXPECT_EQ(Error(File("[data]\ndir = \"\"\n")), "data.dir: must not be empty");
  EXPECT_EQ(Error(File("[cors]\nallowed_origins = [\"app.example\"]\n")),
            "cors.allowed_origins: 'app.example' is not an origin like https://example.com (or *)");
}

TEST_F(ConfigTest, BadBindAddress) {
  EXPECT_EQ(Error(File("[server]\nbind = \"localhost\"\n")), "server.bind: 'localhost' is not an IPv4 or IPv6 address");
  EXPECT_EQ(Error(File("[server]\nbind = \"256.1.1.1\"\n")), "server.bind: '256.1.1.1' is not an IPv4 or IPv6 address");
  auto v6 = Load(File("[server]\nbind = \"::1\"\n"));
  ASSERT_TRUE(v6.ok()) << v6.error().safe_message();
  EXPECT_EQ(v6->server.bind_address, "::1");
}

TEST_F(ConfigTest, DuplicateDialectPorts) {
  EXPECT_EQ(Error(File("[dialects.unichat]\nport = 8766\n")),
            "dialects.unichat.port: 8766 is already used by dialects.unamentis");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_DIALECTS_MIRA_PORT", "3000"}}),
            "dialects.mira.port: 3000 is already used by dialects.pisovereign");
}

TEST_F(ConfigTest, SharedPortIsFineWhenOneIsDisabledOrBothAreEphemeral) {
  auto disabled = Load(File("[dialects.unichat]\nport = 8766\n[dialects.unamentis]\nenabled = false\n"));
  ASSERT_TRUE(disabled.ok()) << disabled.error().safe_message();
  auto ephemeral = Load(File("[dialects.unichat]\nport = 0\n[dialects.mira]\nport = 0\n"));
  ASSERT_TRUE(ephemeral.ok()) << ephemeral.error().safe_message();
}

TEST_F(ConfigTest, TomlSyntaxError) {
  const auto path = File("[server]\nio_threads = 1\n[log\nlevel = \"info\"\n");
  // toml++ (3.3) writes the newline it saw escaped, so the message stays one line.
  EXPECT_EQ(Error(path), "config: '" + path + "' line 3: Error while parsing table header: expected ']', saw '\\n'");
}

TEST_F(ConfigTest, MissingFile) {
  const std::string path = dir_.File("absent.toml");
  EXPECT_EQ(Error(path), "config: file '" + path + "' does not exist");
}

TEST_F(ConfigTest, BadEnvironmentValue) {
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SERVER_IO_THREADS", "abc"}}),
            "server.io_threads: must be an integer (ATRIUM_SERVER_IO_THREADS='abc')");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SERVER_IO_THREADS", "12x"}}),
            "server.io_threads: must be an integer (ATRIUM_SERVER_IO_THREADS='12x')");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SERVER_IO_THREADS", ""}}),
            "server.io_threads: must be an integer (ATRIUM_SERVER_IO_THREADS='')");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_LOG_ACCESS_LOG", "maybe"}}),
            "log.access_log: must be true or false (ATRIUM_LOG_ACCESS_LOG='maybe')");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SERVER_IO_THREADS", "999"}}),
            "server.io_threads: must be between 0 and 256 (got 999)");
}

TEST_F(ConfigTest, BadEnvironmentValueWinsEvenOverAGoodFile) {
  EXPECT_EQ(Error(File("[server]\nio_threads = 2\n"), {{"ATRIUM_SERVER_IO_THREADS", "two"}}),
            "server.io_threads: must be an integer (ATRIUM_SERVER_IO_THREADS='two')");
}

TEST_F(ConfigTest, SecuritySettings) {
  const auto path = File(R"(
[security]
jwt_secret = "0123456789abcdef0123456789abcdef"
trusted_proxies = ["10.0.0.1", "::1"]
rate_limits = false

[security.api_key_users]
"0123456789abcdef-key" = "00000000-0000-4000-8000-000000000001"

[dialects.pisovereign]
rate_limit_rpm = 120
)");
  auto r = Load(path);
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->jwt_secret, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(r->trusted_proxies, (std::vector<std::string>{"10.0.0.1", "::1"}));
  EXPECT_FALSE(r->rate_limits);
  EXPECT_EQ(r->api_key_users,
            (std::map<std::string, std::string>{{"0123456789abcdef-key", "00000000-0000-4000-8000-000000000001"}}));
  EXPECT_EQ(r->pisovereign_rate_limit_rpm, 120);

  auto env = Load(std::nullopt, {{"ATRIUM_SECURITY_API_KEY_USERS",
                                  "aaaaaaaaaaaaaaaa=00000000-0000-4000-8000-000000000001,"
                                  "bbbbbbbbbbbbbbbb=00000000-0000-4000-8000-000000000002"}});
  ASSERT_TRUE(env.ok()) << env.error().safe_message();
  EXPECT_EQ(env->api_key_users.size(), 2u);
}

// A table in one environment variable: `key=value` pairs, comma-separated, spaced as
// people write them (docs/configuration.md).
TEST_F(ConfigTest, TablesFromTheEnvironmentTolerateSpaces) {
  auto env = Load(std::nullopt, {{"ATRIUM_SECURITY_API_KEY_USERS",
                                  " aaaaaaaaaaaaaaaa = 00000000-0000-4000-8000-000000000001 ,"
                                  "bbbbbbbbbbbbbbbb=00000000-0000-4000-8000-000000000002, "},
                                 {"ATRIUM_LLM_PRICING", "anthropic/claude-3-sonnet=3 15, fake-chat = 1.5 2.5"}});
  ASSERT_TRUE(env.ok()) << env.error().safe_message();
  EXPECT_EQ(env->api_key_users,
            (std::map<std::string, std::string>{{"aaaaaaaaaaaaaaaa", "00000000-0000-4000-8000-000000000001"},
                                                {"bbbbbbbbbbbbbbbb", "00000000-0000-4000-8000-000000000002"}}));
  EXPECT_EQ(env->llm_pricing.size(), 2u);
  EXPECT_EQ(env->llm_pricing.count("fake-chat"), 1u);
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SECURITY_API_KEY_USERS", "no-equals-sign"}}),
            "security.api_key_users: must be a table of strings (ATRIUM_SECURITY_API_KEY_USERS)");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_SECURITY_API_KEY_USERS", " =00000000-0000-4000-8000-000000000001"}}),
            "security.api_key_users: must be a table of strings (ATRIUM_SECURITY_API_KEY_USERS)");
}

TEST_F(ConfigTest, SecurityErrors) {
  EXPECT_EQ(Error(File("[security]\njwt_secret = \"short\"\n")),
            "security.jwt_secret: must be at least 32 bytes (got 5)");
  EXPECT_EQ(Error(File("[security.api_key_users]\n\"tiny\" = \"00000000-0000-4000-8000-000000000001\"\n")),
            "security.api_key_users: API key 'tiny...' is shorter than 8 characters");
  EXPECT_EQ(Error(File("[security.api_key_users]\n\"0123456789abcdef\" = \"bob\"\n")),
            "security.api_key_users: user id 'bob' is not a UUID");
  EXPECT_EQ(Error(File("[security]\ntrusted_proxies = [\"proxy.local\"]\n")),
            "security.trusted_proxies: 'proxy.local' is not an IPv4 or IPv6 address");
  EXPECT_EQ(Error(File("[security]\nargon2_memory_kib = 1024\n")),
            "security.argon2_memory_kib: must be between 19456 and 4194304 (got 1024)");
}

}  // namespace
}  // namespace atrium::app

namespace atrium::app {
namespace {

TEST_F(ConfigTest, ControlCharactersInStringsAreRefused) {
  EXPECT_EQ(Error(File("[server]\nbind = \"127.0.0.1\\u0000evil\"\n")),
            "server.bind: must not contain control characters");
  EXPECT_EQ(Error(File("[data]\ndir = \"a\\nb\"\n")), "data.dir: must not contain control characters");
  EXPECT_EQ(Error(std::nullopt, {{"ATRIUM_DATA_DIR", std::string("x\ty")}}),
            "data.dir: must not contain control characters");
}

TEST_F(ConfigTest, IntegersAreNotBooleans) {
  EXPECT_EQ(Error(File("[dialects.unamentis]\nenabled = 1\n")), "dialects.unamentis.enabled: must be true or false");
}

TEST_F(ConfigTest, StorageUrlIsEmptyForSqliteByDefault) {
  auto r = Load(std::nullopt);
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->storage_url, "");
  EXPECT_EQ(r->storage_pool_size, 8);
}

TEST_F(ConfigTest, StorageUrlTakesPostgresUrlsFromFileAndEnvironment) {
  auto r = Load(File("[storage]\nurl = \"postgresql://atrium@db:5432/atrium?sslmode=require\"\npool_size = 3\n"));
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->storage_url, "postgresql://atrium@db:5432/atrium?sslmode=require");
  EXPECT_EQ(r->storage_pool_size, 3);
  auto env = Load(std::nullopt, {{"ATRIUM_STORAGE_URL", "postgres://u@h/d"}});
  ASSERT_TRUE(env.ok()) << env.error().safe_message();
  EXPECT_EQ(env->storage_url, "postgres://u@h/d");
}

TEST_F(ConfigTest, StorageUrlRefusesOtherSchemesWithoutEchoingTheUrl) {
  const auto message = Error(File("[storage]\nurl = \"mysql://root:hunter2@db/atrium\"\n"));
  EXPECT_NE(message.find("storage.url"), std::string::npos) << message;
  EXPECT_NE(message.find("postgresql://"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST_F(ConfigTest, RedisIsOffByDefaultAndTakesARedisUrl) {
  auto off = Load(std::nullopt);
  ASSERT_TRUE(off.ok()) << off.error().safe_message();
  EXPECT_EQ(off->redis_url, "");
  EXPECT_EQ(off->redis_prefix, "atrium:");
  EXPECT_EQ(off->redis_timeout_ms, 500);
  auto r = Load(File("[redis]\nurl = \"redis://127.0.0.1:6379/2\"\nprefix = \"prod:\"\ntimeout_ms = 250\n"));
  ASSERT_TRUE(r.ok()) << r.error().safe_message();
  EXPECT_EQ(r->redis_url, "redis://127.0.0.1:6379/2");
  EXPECT_EQ(r->redis_prefix, "prod:");
  EXPECT_EQ(r->redis_timeout_ms, 250);
  auto env = Load(std::nullopt, {{"ATRIUM_REDIS_URL", "redis://cache:6380"}});
  ASSERT_TRUE(env.ok()) << env.error().safe_message();
  EXPECT_EQ(env->redis_url, "redis://cache:6380");
}

TEST_F(ConfigTest, RedisUrlRefusesOtherSchemesWithoutEchoingTheUrl) {
  EXPECT_EQ(Error(File("[redis]\nurl = \"http://:hunter2@cache:6379\"\n")),
            "redis.url: must be empty (everything in this process) or a redis://host:port/db URL");
  EXPECT_EQ(Error(File("[redis]\nprefix = \"\"\n")), "redis.prefix: must be 1 to 64 characters (got 0)");
  EXPECT_EQ(Error(File("[redis]\ntimeout_ms = 5\n")), "redis.timeout_ms: must be between 10 and 60000 (got 5)");
}

}  // namespace
}  // namespace atrium::app
