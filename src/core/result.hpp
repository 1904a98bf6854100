#pragma once
// Result<T>: the value of a fallible call, or the Error that explains why it failed.
// Expected failures travel as values; exceptions are kept for programmer errors and
// start-up failures.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "core/reason.hpp"

namespace atrium::core {

// A neutral failure kind. Dialects map it to their own status codes and error bodies.
enum class ErrorCode {
  kInvalidArgument,  // malformed or out-of-range input from a client
  kNotFound,
  kAlreadyExists,
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,  // a bound was hit: queue full, too many connections
  kUnavailable,        // a dependency (database, upstream) cannot be reached now
  kInternal,           // a bug or an unexpected environment failure
};

// An Error carries a code, a message that is safe to show a client, and an internal
// message for logs only (may name files, SQL, errno).
class Error {
 public:
  Error(ErrorCode code, std::string safe_message, std::string internal_message = {})
      : code_(code), safe_message_(std::move(safe_message)), internal_message_(std::move(internal_message)) {}

  // A finer reason within the code (Reason::kTokenReused, kEmailExists), for dialects
  // that answer some failures in their own way. Reason::kNone when there is none.
  Error WithReason(Reason reason) && {
    reason_ = reason;
    return std::move(*this);
  }
  Reason reason() const { return reason_; }

  ErrorCode code() const { return code_; }
  const std::string& safe_message() const { return safe_message_; }
  // Falls back to the safe message when no internal detail was given.
  const std::string& internal_message() const { return internal_message_.empty() ? safe_message_ : internal_message_; }

 private:
  ErrorCode code_;
  std::string safe_message_;
  std::string internal_message_;
  Reason reason_ = Reason::kNone;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

struct Ok {};

// Result<void> spelled as a distinct type so callers still write `if (!r) ...`.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}                                                  // NOLINT: implicit by design
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInternal, {}};
  bool ok_ = true;
};

}  // namespace atrium::core
