#include "core/identity/session_revocation.hpp"

#include <algorithm>

namespace atrium::core::identity {

namespace {

constexpr std::pair<RevocationCause, std::string_view> kCauses[] = {
    {RevocationCause::kLogout, "logout"},
    {RevocationCause::kPasswordChanged, "password_changed"},
    {RevocationCause::kDeviceRemoved, "device_removed"},
    {RevocationCause::kSessionRevoked, "session_revoked"},
    {RevocationCause::kTokenReused, "token_reused"},
    {RevocationCause::kAccountInactive, "account_inactive"},
};

template <class E, std::size_t N>
std::string_view ToName(const std::pair<E, std::string_view> (&table)[N], E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

}  // namespace

std::string_view RevocationCauseName(RevocationCause cause) { return ToName(kCauses, cause); }

bool SessionsRevoked::Covers(std::string_view session_id) const {
  const bool listed = std::find(session_ids.begin(), session_ids.end(), session_id) != session_ids.end();
  switch (scope) {
    case Scope::kSessions:
      return !session_id.empty() && listed;
    case Scope::kAll:
      return true;
    case Scope::kAllExcept:
      return session_id.empty() || !listed;
  }
  return true;
}

events::Event EncodeRevocation(const SessionsRevoked& revoked) {
  return events::Event{{events::topics::UserSessions(revoked.user_id)}, revoked};
}

std::optional<SessionsRevoked> DecodeRevocation(const events::Event& event) {
  if (const auto* revoked = event.As<SessionsRevoked>()) return *revoked;
  return std::nullopt;
}

SessionWatch::SessionWatch(events::EventBus& bus, const Principal& who, std::function<void(RevocationCause)> on_revoked,
                           const std::function<bool()>& still_valid)
    : session_id_(who.session_id), on_revoked_(std::move(on_revoked)) {
  // Revocations are rare and small; a queue of a few is plenty, and an overflow closes.
  subscription_ = bus.Subscribe({events::topics::UserSessions(who.user_id)}, {16, events::OverflowPolicy::kDisconnect});
  subscription_->SetNotifier([this] { Drain(); });
  // Subscribed first, checked second: a revocation committed before this check is seen
  // here, one committed after it arrives as an event.
  if (still_valid && !still_valid()) Fire(RevocationCause::kSessionRevoked);
}

void SessionWatch::Fire(RevocationCause cause) {
  if (fired_.exchange(true)) return;
  on_revoked_(cause);
}

SessionWatch::~SessionWatch() { subscription_.reset(); }

void SessionWatch::Drain() {
  std::optional<RevocationCause> cause;
  while (auto event = subscription_->TryPop()) {
    auto revoked = DecodeRevocation(*event);
    if (revoked && !cause && revoked->Covers(session_id_)) cause = revoked->cause;
  }
  if (!cause && subscription_->overflowed()) cause = RevocationCause::kSessionRevoked;
  if (cause) Fire(*cause);
}

std::optional<std::int64_t> ExpiresInMs(const Principal& who, std::chrono::system_clock::time_point now) {
  if (who.expires_at <= 0) return std::nullopt;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::time_point(std::chrono::seconds(who.expires_at)) - now)
                        .count();
  return std::max<std::int64_t>(left, 0);
}

}  // namespace atrium::core::identity
