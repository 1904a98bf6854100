#pragma once
// PostgreSQL's SQLSTATE codes mapped to the storage interface's error kinds.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace atrium::storage::postgres {

// The parts of a server (or libpq) error the mapping looks at.
struct ServerError {
  std::string sqlstate;    // five characters; empty when libpq failed before the server answered
  std::string message;     // the server's primary message (may quote data: internal only)
  std::string constraint;  // the violated constraint's name, when there is one
};

// 23505 unique_violation: kAlreadyExists, naming the constraint in the internal message.
// Other class 23 (NOT NULL, foreign key, CHECK, exclusion): kInternal.
// Class 08 (connection), 57P01..57P05 (shutdown, crash, cannot connect now) and an
// error without a SQLSTATE (the connection broke): kUnavailable. Everything else:
// kInternal. The safe message is generic; SQL and data stay in the internal message.
core::Error MapServerError(const ServerError& e, std::string_view what);

// True for the failures after which the whole transaction may simply run again:
// 40001 serialization_failure and 40P01 deadlock_detected.
bool IsRetryable(std::string_view sqlstate);

// True when the connection can no longer be trusted and must be reset.
bool IsConnectionLost(std::string_view sqlstate);

}  // namespace atrium::storage::postgres
