#pragma once
// A mailbox as the core sees it: counts and the latest headers of the inbox. The
// transport implements it over IMAP.

#include <string>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::mail {

struct MailHeader {
  std::string from;
  std::string subject;
  std::string date;  // as the message says (RFC 5322)
  bool unread = false;
  bool important = false;  // \Flagged
};

struct InboxSummary {
  int total = 0;
  int unread = 0;
  int important = 0;               // unread and flagged
  std::vector<MailHeader> latest;  // newest first
};

class Mailbox {
 public:
  virtual ~Mailbox() = default;
  // The inbox with its `count` newest messages (0-50). kUnavailable when the server
  // cannot be reached, kUnauthenticated when it refuses the login. Blocks.
  virtual Result<InboxSummary> Summarize(int count) = 0;
};

}  // namespace atrium::core::mail
