#include "transport/mail/curl_imap_mailbox.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "transport/mail/imap_response.hpp"

namespace atrium::transport::mail {

namespace {

constexpr std::size_t kMaxResponse = 4 << 20;

struct Sink {
  std::string data;
  bool overflow = false;
};

std::size_t Write(char* ptr, std::size_t size, std::size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->data.size() + size * n > kMaxResponse) {
    sink->overflow = true;
    return 0;
  }
  sink->data.append(ptr, size * n);
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

core::Error Failure(CURLcode code, const char* detail) {
  const std::string internal = std::string(curl_easy_strerror(code)) + (detail[0] ? std::string(": ") + detail : "");
  if (code == CURLE_LOGIN_DENIED) {
    return core::Error(core::ErrorCode::kUnauthenticated, "the mail server refused the login", internal);
  }
  return core::Error(core::ErrorCode::kUnavailable, "the mail server cannot be reached", internal);
}

}  // namespace

CurlImapMailbox::CurlImapMailbox(ImapSettings settings) : settings_(std::move(settings)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);  // reference-counted by libcurl; paired below
}

CurlImapMailbox::~CurlImapMailbox() { curl_global_cleanup(); }

core::Result<core::mail::InboxSummary> CurlImapMailbox::Summarize(int count) {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return core::Error(core::ErrorCode::kInternal, "mail client unavailable", "curl_easy_init failed");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, settings_.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Write);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");

  const auto run = [&](const std::string& command) -> core::Result<std::string> {
    Sink sink;
    error[0] = '\0';
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command.c_str());
    const CURLcode rc = curl_easy_perform(c);
    if (sink.overflow) return core::Error(core::ErrorCode::kUnavailable, "the mail server answered too much");
    if (rc != CURLE_OK) return Failure(rc, error);
    return std::move(sink.data);
  };

  auto all = run("SEARCH ALL");
  if (!all) return all.error();
  auto unseen = run("SEARCH UNSEEN");
  if (!unseen) return unseen.error();
  auto important = run("SEARCH UNSEEN FLAGGED");
  if (!important) return important.error();

  core::mail::InboxSummary summary;
  const auto all_ids = ParseSearch(*all);
  summary.total = static_cast<int>(all_ids.size());
  summary.unread = static_cast<int>(ParseSearch(*unseen).size());
  summary.important = static_cast<int>(ParseSearch(*important).size());
  count = std::clamp(count, 0, 50);
  if (count > 0 && !all_ids.empty()) {
    const long last = *std::max_element(all_ids.begin(), all_ids.end());
    const long first = std::max(1L, last - count + 1);
    auto fetched = run("FETCH " + std::to_string(first) + ":" + std::to_string(last) + " (FLAGS ENVELOPE)");
    if (!fetched) return fetched.error();
    auto messages = ParseFetch(*fetched);
    std::sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) { return a.sequence > b.sequence; });
    for (auto& m : messages) summary.latest.push_back(std::move(m.header));
  }
  return summary;
}

}  // namespace atrium::transport::mail
