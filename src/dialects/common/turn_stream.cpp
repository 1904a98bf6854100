#include "dialects/common/turn_stream.hpp"

#include <deque>
#include <mutex>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/identity/identity_service.hpp"
#include "core/identity/session_revocation.hpp"

namespace atrium::dialects {

namespace {

constexpr std::size_t kMaxPending = 1 << 20;

class Relay {
 public:
  explicit Relay(TurnFramer framer) : framer_(std::move(framer)) {}

  void On(const core::chat::ChatEvent& e) {
    using T = core::chat::ChatEventType;
    if (e.type == T::kError && Signal(e.error)) return;  // before the stream opened: the handler answers it
    std::vector<std::string> frames;
    {
      std::lock_guard lock(framer_mu_);
      frames = framer_(e);
    }
    for (auto& f : frames) Emit(std::move(f));
    if (e.type == T::kStarted || e.type == T::kDone) Signal(std::nullopt);
    if (e.type == T::kDone || e.type == T::kError) Close();
  }

  // `ready` hears, once, nullopt when the turn started or the error it failed with
  // first; at once when that is already known.
  void OnStart(std::function<void(std::optional<core::Error>)> ready) {
    std::optional<core::Error> error;
    {
      std::lock_guard lock(mu_);
      if (!signalled_) {
        ready_ = std::move(ready);
        return;
      }
      error = first_error_;
    }
    ready(std::move(error));
  }

  void Attach(const std::shared_ptr<http::StreamWriter>& writer, const std::shared_ptr<core::chat::ChatTurn>& turn) {
    bool gone = false;
    {
      std::lock_guard lock(mu_);
      writer_ = writer;
      turn_ = turn;
      for (auto& frame : pending_) {
        if (!writer->Write(std::move(frame))) gone = true;
      }
      pending_.clear();
      if (overflowed_) gone = true;
      if (closed_) {
        writer->Close();
        writer_.reset();
        turn_.reset();
      }
    }
    writer->OnClientGone([turn] { turn->Cancel(); });
    if (gone) turn->Cancel();
  }

 private:
  // True when this was the first signal and an error (the stream never opens).
  bool Signal(const std::optional<core::Error>& error) {
    std::function<void(std::optional<core::Error>)> ready;
    {
      std::lock_guard lock(mu_);
      if (signalled_) return false;
      signalled_ = true;
      first_error_ = error;
      ready = std::move(ready_);
    }
    if (ready) ready(error);
    return error.has_value();
  }

  void Emit(std::string frame) {
    std::shared_ptr<core::chat::ChatTurn> stop;
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      if (writer_) {
        if (!writer_->Write(std::move(frame))) stop = turn_;
      } else if (pending_bytes_ + frame.size() > kMaxPending) {
        overflowed_ = true;
      } else {
        pending_bytes_ += frame.size();
        pending_.push_back(std::move(frame));
      }
    }
    if (stop) stop->Cancel();
  }

  // The turn holds this relay (through its sink), and the writer holds the turn (its
  // client-gone callback): once the stream has ended, this relay lets go of both.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    if (writer_) writer_->Close();
    writer_.reset();
    turn_.reset();
  }

  std::mutex framer_mu_;
  TurnFramer framer_;
  std::mutex mu_;
  bool signalled_ = false;
  std::function<void(std::optional<core::Error>)> ready_;
  std::optional<core::Error> first_error_;
  std::deque<std::string> pending_;
  std::size_t pending_bytes_ = 0;
  bool overflowed_ = false;
  bool closed_ = false;
  std::shared_ptr<http::StreamWriter> writer_;
  std::shared_ptr<core::chat::ChatTurn> turn_;
};

// Ends one stream with its session. Owned by the stream's body (which the transport
// keeps for as long as the stream lasts), never by the turn or the relay, so the
// notifier never destroys its own watch: it holds the writer and the turn weakly.
class SessionGuard {
 public:
  // Subscribes, then asks `still_valid` (when given): a revocation in between is seen.
  void Arm(core::events::EventBus& bus, const core::identity::Principal& who, std::function<bool()> still_valid,
           const std::shared_ptr<core::chat::ChatTurn>& turn) {
    {
      std::lock_guard lock(mu_);
      turn_ = turn;
    }
    auto watch = std::make_unique<core::identity::SessionWatch>(
        bus, who, [this](core::identity::RevocationCause) { Revoke(); }, std::move(still_valid));
    std::lock_guard lock(mu_);
    watch_ = std::move(watch);
  }

  // When the stream opens: a session revoked before it ends it at once.
  void Attach(const std::shared_ptr<http::StreamWriter>& writer) {
    {
      std::lock_guard lock(mu_);
      writer_ = writer;
      if (!revoked_) return;
    }
    Revoke();
  }

  ~SessionGuard() {
    std::unique_ptr<core::identity::SessionWatch> watch;
    {
      std::lock_guard lock(mu_);
      watch = std::move(watch_);
    }
    watch.reset();  // outside the lock: it waits for a running Revoke
  }

 private:
  void Revoke() {
    std::shared_ptr<http::StreamWriter> writer;
    std::shared_ptr<core::chat::ChatTurn> turn;
    {
      std::lock_guard lock(mu_);
      revoked_ = true;
      writer = writer_.lock();
      turn = turn_.lock();
    }
    if (writer) writer->Close();
    if (turn) turn->Cancel();  // the upstream request ends now, not at the next token
  }

  std::mutex mu_;
  bool revoked_ = false;
  std::weak_ptr<http::StreamWriter> writer_;
  std::weak_ptr<core::chat::ChatTurn> turn_;
  std::unique_ptr<core::identity::SessionWatch> watch_;
};

}  // namespace

void EndWithSession(TurnStreamOptions& options, const CommonDeps& services, const core::identity::Principal& who) {
  options.revocations = &services.events;
  options.session = who;
  options.still_valid = [&identity = services.identity, who] { return identity.CheckStanding(who).ok(); };
  if (auto left = core::identity::ExpiresInMs(who, services.clock.Now())) {
    options.end_after = std::chrono::milliseconds(*left);
  }
}

http::Reply StreamTurn(const TurnStarter& start, TurnFramer framer,
                       const std::function<http::ApiError(const core::Error&)>& error, TurnStreamOptions options) {
  auto relay = std::make_shared<Relay>(std::move(framer));
  auto turn = start([relay](const core::chat::ChatEvent& e) { relay->On(e); });
  if (!turn) return error(turn.error());
  std::shared_ptr<core::chat::ChatTurn> handle = *turn;

  http::Response response;
  response.status = 200;
  response.headers.Set("Content-Type", options.content_type);
  if (options.decorate) options.decorate(*handle, response);
  auto body = std::make_shared<http::StreamBody>();
  body->heartbeat_interval = options.heartbeat_interval;
  // The worker is free now: the transport waits for the upstream's answer, so that a
  // failure before the first token still gets its own status.
  body->await_start = [relay, error](std::function<void(std::optional<http::ApiError>)> ready) {
    relay->OnStart([ready = std::move(ready), error](std::optional<core::Error> failed) {
      if (failed) {
        ready(error(*failed));
      } else {
        ready(std::nullopt);
      }
    });
  };
  body->await_timeout = options.wait_for_start;
  body->await_expired = [handle, error] {
    handle->Abandon();
    return error(core::Error(core::ErrorCode::kUnavailable, "The LLM upstream did not accept the request in time")
                     .WithReason(core::Reason::kLlmUnavailable));
  };
  body->end_after = options.end_after;
  std::shared_ptr<SessionGuard> guard;
  if (options.revocations != nullptr && options.session) {
    guard = std::make_shared<SessionGuard>();
    guard->Arm(*options.revocations, *options.session, std::move(options.still_valid), handle);
  }
  body->start = [relay, handle, guard](std::shared_ptr<http::StreamWriter> writer) {
    relay->Attach(writer, handle);
    if (guard) guard->Attach(writer);
  };
  response.stream = std::move(body);
  return response;
}

}  // namespace atrium::dialects
