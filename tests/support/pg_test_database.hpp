#pragma once
// A fresh, empty PostgreSQL database per test on the server the ctest fixture `postgres`
// starts (tests/support/pg_server.py), dropped when the test ends. The server's URL is
// in ATRIUM_TEST_POSTGRES_URL, or in the file ATRIUM_TEST_POSTGRES_URL_FILE names (ctest
// sets that one: the URL is known only once the fixture has run). Without either,
// `url()` is empty and the test should skip:
//
//   PgTestDatabase pg;
//   if (pg.url().empty()) GTEST_SKIP() << "ATRIUM_TEST_POSTGRES_URL is not set";

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>

#include "storage/postgres/pg_connection.hpp"

namespace atrium::testing {

class PgTestDatabase {
 public:
  PgTestDatabase() {
    server_url_ = ServerUrl();
    if (server_url_.empty()) return;
    std::random_device rd;
    name_ = "atrium_t_" + std::to_string(rd()) + std::to_string(rd());
    auto admin = storage::postgres::PgConnection::Open(server_url_, std::chrono::seconds(5));
    if (!admin) throw std::runtime_error("test server: " + admin.error().internal_message());
    if (auto r = (*admin)->ExecuteScript("CREATE DATABASE " + name_); !r) {
      throw std::runtime_error("create database: " + r.error().internal_message());
    }
    url_ = WithDatabase(server_url_, name_);
  }
  ~PgTestDatabase() {
    if (url_.empty()) return;
    auto admin = storage::postgres::PgConnection::Open(server_url_, std::chrono::seconds(5));
    if (admin) (void)(*admin)->ExecuteScript("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");  // best effort
  }
  PgTestDatabase(const PgTestDatabase&) = delete;
  PgTestDatabase& operator=(const PgTestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& server_url() const { return server_url_; }

  // The test server's URL, or "" when no test server is configured.
  static std::string ServerUrl() {
    if (const char* url = std::getenv("ATRIUM_TEST_POSTGRES_URL"); url != nullptr && *url != '\0') return url;
    const char* file = std::getenv("ATRIUM_TEST_POSTGRES_URL_FILE");
    if (file == nullptr || *file == '\0') return {};
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    return url;
  }

  // `url` with its database (the path) replaced by `name`; the query string is kept.
  static std::string WithDatabase(const std::string& url, const std::string& name) {
    const auto authority = url.find("://");
    const auto slash = url.find('/', authority == std::string::npos ? 0 : authority + 3);
    const auto query = url.find('?');
    std::string out = url.substr(0, slash == std::string::npos ? url.find('?') : slash) + "/" + name;
    if (query != std::string::npos) out += url.substr(query);
    return out;
  }

 private:
  std::string server_url_;
  std::string name_;
  std::string url_;
};

}  // namespace atrium::testing
