#pragma once
// The few IMAP4rev1 (RFC 3501) server responses the mailbox summary reads: "* SEARCH"
// number lists and "* n FETCH (FLAGS (...) ENVELOPE (...))" lines. Pure functions, so
// they are tested (and fuzzed) without a server. Literals ({n}) are not expected on
// these lines and make the affected field empty.

#include <string>
#include <string_view>
#include <vector>

#include "core/mail/mailbox.hpp"

namespace atrium::transport::mail {

// Every number of every "* SEARCH ..." line in `text`.
std::vector<long> ParseSearch(std::string_view text);

struct FetchedMessage {
  long sequence = 0;
  core::mail::MailHeader header;
};

// The messages of the "* n FETCH" lines in `text`, in the order given; lines that do not
// parse are skipped.
std::vector<FetchedMessage> ParseFetch(std::string_view text);

}  // namespace atrium::transport::mail
