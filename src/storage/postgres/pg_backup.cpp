#include "storage/postgres/pg_backup.hpp"

#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

extern char** environ;

namespace atrium::storage::postgres {

namespace {

struct Connection {
  std::vector<std::string> env;  // NAME=value for the child
  std::string dbname;
};

core::Result<Connection> TakeApart(const std::string& url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
  if (opts == nullptr) {
    std::string why = err != nullptr ? err : "cannot parse";
    PQfreemem(err);
    return core::Error(core::ErrorCode::kInvalidArgument, "storage.url: " + why);
  }
  Connection c;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || o->val[0] == '\0') continue;
    if (std::strcmp(o->keyword, "dbname") == 0) c.dbname = o->val;
    if (o->envvar != nullptr) c.env.push_back(std::string(o->envvar) + "=" + o->val);
  }
  PQconninfoFree(opts);
  return c;
}

// The tool on PATH, else the newest under /usr/lib/postgresql/<major>/bin.
std::string FindTool(const std::string& name) {
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    std::size_t start = 0;
    while (start <= p.size()) {
      auto end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      auto candidate = std::filesystem::path(p.substr(start, end - start)) / name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
      start = end + 1;
    }
  }
  std::string best;
  int best_major = -1;
  std::error_code ec;
  for (const auto& d : std::filesystem::directory_iterator("/usr/lib/postgresql", ec)) {
    auto candidate = d.path() / "bin" / name;
    int major = std::atoi(d.path().filename().c_str());
    if (major > best_major && ::access(candidate.c_str(), X_OK) == 0) {
      best = candidate.string();
      best_major = major;
    }
  }
  return best;
}

// Runs `argv` with the connection's environment; its stderr (the last 8 KiB) is the
// error's message when it exits non-zero.
core::Result<void> Run(const std::vector<std::string>& argv, const Connection& conn) {
  std::string tool = FindTool(argv[0]);
  if (tool.empty()) {
    return core::Error(core::ErrorCode::kUnavailable,
                       argv[0] + " not found: install PostgreSQL's client tools (Debian: postgresql-client)");
  }
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "PG", 2) != 0) env.emplace_back(*e);  // only the URL's settings reach the tool
  }
  env.insert(env.end(), conn.env.begin(), conn.env.end());
  std::vector<char*> cargv;
  cargv.push_back(tool.data());
  for (std::size_t i = 1; i < argv.size(); ++i) cargv.push_back(const_cast<char*>(argv[i].c_str()));
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  int pipefd[2];
  if (::pipe2(pipefd, O_CLOEXEC) != 0) return core::Error(core::ErrorCode::kUnavailable, "pipe: " + std::string(std::strerror(errno)));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipefd[1], 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, tool.c_str(), &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipefd[1]);
  if (rc != 0) {
    ::close(pipefd[0]);
    return core::Error(core::ErrorCode::kUnavailable, "cannot start " + tool + ": " + std::strerror(rc));
  }
  std::string err;
  char buf[4096];
  for (;;) {
    auto n = ::read(pipefd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    err.append(buf, static_cast<std::size_t>(n));
    if (err.size() > 8192) err.erase(0, err.size() - 8192);
  }
  ::close(pipefd[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    while (!err.empty() && (err.back() == '\n' || err.back() == ' ')) err.pop_back();
    return core::Error(core::ErrorCode::kUnavailable, argv[0] + " failed: " + (err.empty() ? "no message" : err));
  }
  return core::Ok{};
}

}  // namespace

core::Result<void> DumpDatabase(const std::string& url, const std::string& dest_file) {
  auto conn = TakeApart(url);
  if (!conn) return conn.error();
  return Run({"pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file=" + dest_file}, *conn);
}

core::Result<void> RestoreDatabase(const std::string& url, const std::string& dump_file, bool replace) {
  auto conn = TakeApart(url);
  if (!conn) return conn.error();
  std::vector<std::string> argv{"pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                                "--single-transaction"};
  if (replace) {
    argv.emplace_back("--clean");
    argv.emplace_back("--if-exists");
  }
  // pg_restore writes SQL to stdout unless told a database; the name alone, the rest
  // (password included) comes from the environment.
  argv.push_back("--dbname=" + (conn->dbname.empty() ? std::string("postgres") : conn->dbname));
  argv.push_back(dump_file);
  return Run(argv, *conn);
}

core::Result<std::int64_t> CountTables(PgDatabase& db) {
  auto rows = db.Query("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
  if (!rows) return rows.error();
  if (rows->empty() || rows->rows[0].empty()) return std::int64_t{0};
  return AsInt(rows->rows[0][0]).value_or(0);
}

}  // namespace atrium::storage::postgres
