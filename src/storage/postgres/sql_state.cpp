#include "storage/postgres/sql_state.hpp"

namespace atrium::storage::postgres {

bool IsRetryable(std::string_view sqlstate) { return sqlstate == "40001" || sqlstate == "40P01"; }

bool IsConnectionLost(std::string_view sqlstate) {
  return sqlstate.empty() || sqlstate.starts_with("08") || sqlstate.starts_with("57P");
}

core::Error MapServerError(const ServerError& e, std::string_view what) {
  std::string internal(what);
  internal += ": ";
  if (!e.sqlstate.empty()) internal += "[" + e.sqlstate + "] ";
  internal += e.message;
  if (!e.constraint.empty()) internal += " (constraint " + e.constraint + ")";

  if (e.sqlstate == "23505") {
    return core::Error(core::ErrorCode::kAlreadyExists, "conflicts with stored data", std::move(internal));
  }
  if (IsConnectionLost(e.sqlstate)) {
    return core::Error(core::ErrorCode::kUnavailable, "database unavailable", std::move(internal));
  }
  return core::Error(core::ErrorCode::kInternal, "database error", std::move(internal));
}

}  // namespace atrium::storage::postgres
