#pragma once
// core::mail::Mailbox over IMAP with libcurl (imap:// or imaps://). Each Summarize()
// opens one connection (curl reuses it for the few commands), logs in, and reads
// without changing flags: SEARCH for counts, FETCH (FLAGS ENVELOPE) for the newest
// headers (ENVELOPE never sets \Seen). Every transfer is bounded by the timeout.

#include <chrono>
#include <string>

#include "core/mail/mailbox.hpp"

namespace atrium::transport::mail {

struct ImapSettings {
  std::string url;  // imap://host:port/INBOX
  std::string username;
  std::string password;
  std::chrono::milliseconds timeout{10000};
};

class CurlImapMailbox final : public core::mail::Mailbox {
 public:
  explicit CurlImapMailbox(ImapSettings settings);
  ~CurlImapMailbox() override;
  CurlImapMailbox(const CurlImapMailbox&) = delete;
  CurlImapMailbox& operator=(const CurlImapMailbox&) = delete;

  core::Result<core::mail::InboxSummary> Summarize(int count) override;

 private:
  ImapSettings settings_;
};

}  // namespace atrium::transport::mail
