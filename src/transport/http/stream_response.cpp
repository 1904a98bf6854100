#include "transport/http/stream_response.hpp"

#include <boost/beast/http.hpp>
#include <deque>
#include <mutex>

#include "transport/http/wakeup.hpp"

namespace atrium::transport {

namespace bhttp = beast::http;

namespace {

class StreamWriterImpl final : public http::StreamWriter {
 public:
  StreamWriterImpl(std::shared_ptr<Wakeup> wakeup, asio::any_io_executor executor, std::size_t max_bytes)
      : wakeup_(std::move(wakeup)), executor_(executor), max_bytes_(max_bytes) {}

  bool Write(std::string data) override {
    {
      std::lock_guard lock(mu_);
      if (closed_ || gone_) return false;
      if (queued_bytes_ + data.size() > max_bytes_) {
        overflowed_ = true;  // a consumer this slow is cut off, not buffered for
        return false;
      }
      queued_bytes_ += data.size();
      queue_.push_back(std::move(data));
    }
    wakeup_->Notify();
    return true;
  }

  void Close() override {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    wakeup_->Notify();
  }

  bool closed() const override {
    std::lock_guard lock(mu_);
    return closed_ || gone_ || overflowed_;
  }

  void OnClientGone(std::function<void()> callback) override {
    std::unique_lock lock(mu_);
    if (!gone_) {
      on_gone_ = std::move(callback);
      return;
    }
    lock.unlock();
    asio::post(executor_, std::move(callback));
  }

  // Transport side, on the I/O thread.
  std::deque<std::string> Take(bool& producer_closed, bool& overflowed) {
    std::lock_guard lock(mu_);
    std::deque<std::string> out;
    out.swap(queue_);
    queued_bytes_ = 0;
    producer_closed = closed_;
    overflowed = overflowed_;
    return out;
  }

  void MarkGone() {
    std::function<void()> callback;
    {
      std::lock_guard lock(mu_);
      if (gone_) return;
      gone_ = true;
      if (!closed_) callback = std::move(on_gone_);
    }
    if (callback) callback();
  }

 private:
  std::shared_ptr<Wakeup> wakeup_;
  asio::any_io_executor executor_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::deque<std::string> queue_;
  std::size_t queued_bytes_ = 0;
  bool closed_ = false;
  bool gone_ = false;
  bool overflowed_ = false;
  std::function<void()> on_gone_;
};

}  // namespace

asio::awaitable<std::optional<http::ApiError>> AwaitStreamStart(Server::Impl& server, SessionControl& control,
                                                                const http::StreamBody& body) {
  // Shared with the producer's `ready`, which may come from any thread, at any time -
  // also after this wait ended or this session is gone: it then finds no timer.
  struct State {
    std::mutex mu;
    bool done = false;
    std::optional<http::ApiError> error;
    asio::steady_timer* timer = nullptr;
    asio::any_io_executor executor;
  };
  auto executor = co_await asio::this_coro::executor;
  auto state = std::make_shared<State>();
  asio::steady_timer timer(executor);
  timer.expires_after(body.await_timeout);
  state->timer = &timer;
  state->executor = executor;
  // Also when the coroutine is destroyed without resuming (its event loop went away).
  struct Detach {
    State& state;
    SessionControl& control;
    ~Detach() {
      std::lock_guard lock(state.mu);
      state.timer = nullptr;
      control.waiting = nullptr;
    }
  } detach{*state, control};
  control.waiting = &timer;
  control.idle = true;  // nothing is half-sent: shutdown may end it at once

  body.await_start([state](std::optional<http::ApiError> error) {
    std::lock_guard lock(state->mu);
    if (state->done) return;
    state->done = true;
    state->error = std::move(error);
    if (state->timer == nullptr) return;
    asio::post(state->executor, [state] {
      std::lock_guard inner(state->mu);
      if (state->timer != nullptr) state->timer->cancel();
    });
  });
  if (!server.stopping.load()) co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  control.idle = false;

  std::lock_guard lock(state->mu);
  state->timer = nullptr;
  control.waiting = nullptr;
  if (state->done) co_return std::move(state->error);
  state->done = true;  // a late `ready` is ignored
  if (server.stopping.load()) co_return http::MakeError(http::ErrorKind::kUnavailable, "Server is shutting down");
  if (body.await_expired) co_return body.await_expired();
  co_return http::MakeError(http::ErrorKind::kUnavailable, "The answer did not start in time");
}

asio::awaitable<void> WriteStreamedResponse(Server::Impl& server, beast::tcp_stream& stream, SessionControl& control,
                                            http::Response response) {
  const auto spec = response.stream;
  bhttp::response<bhttp::empty_body> head{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers.fields()) head.insert(name, value);
  head.set(bhttp::field::server, "atrium");
  head.set(bhttp::field::cache_control, "no-cache");
  head.keep_alive(false);
  head.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{head};
  stream.expires_after(server.options.write_timeout);
  auto [head_ec, head_n] = co_await bhttp::async_write_header(stream, serializer, asio::as_tuple(asio::use_awaitable));
  (void)head_n;
  if (head_ec) co_return;

  auto executor = co_await asio::this_coro::executor;
  auto wakeup = std::make_shared<Wakeup>(executor);
  auto writer = std::make_shared<StreamWriterImpl>(wakeup, executor, spec->max_queued_bytes);

  // Watch the socket: a read that ends means the client went away (or, at shutdown,
  // that the stream is being cut). It must finish before this coroutine returns.
  bool reader_done = false;
  asio::co_spawn(
      executor,
      [&stream, &reader_done, writer, wakeup]() -> asio::awaitable<void> {
        char sink[512];
        for (;;) {
          auto [ec, n] =
              co_await stream.socket().async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
          (void)n;
          if (ec) break;
        }
        writer->MarkGone();
        reader_done = true;
        wakeup->Notify();
      },
      asio::detached);

  control.idle = true;  // shutdown may cut a stream at once: it has no natural end
  spec->start(writer);

  auto last_write = std::chrono::steady_clock::now();
  // The stream's own end (the token's expiry): the waits below are bounded by it, so no
  // extra timer and no polling.
  const std::optional<std::chrono::steady_clock::time_point> end_at =
      spec->end_after ? std::optional(last_write + *spec->end_after) : std::nullopt;
  for (;;) {
    bool producer_closed = false;
    bool overflowed = false;
    auto chunks = writer->Take(producer_closed, overflowed);
    bool failed = overflowed || reader_done;
    for (auto& chunk : chunks) {
      if (failed) break;
      stream.expires_after(server.options.write_timeout);
      auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(chunk)),
                                                asio::as_tuple(asio::use_awaitable));
      (void)n;
      failed = static_cast<bool>(ec);
      last_write = std::chrono::steady_clock::now();
    }
    if (failed) break;
    if (producer_closed && chunks.empty()) {
      stream.expires_after(server.options.write_timeout);
      co_await asio::async_write(stream, bhttp::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
      break;
    }
    if (!chunks.empty()) continue;
    const auto now = std::chrono::steady_clock::now();
    if (end_at && now >= *end_at) {
      // Ended by the transport: terminated like a finished body; the producer hears
      // OnClientGone below (MarkGone).
      stream.expires_after(server.options.write_timeout);
      co_await asio::async_write(stream, bhttp::make_chunk_last(), asio::as_tuple(asio::use_awaitable));
      break;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(spec->heartbeat_interval - (now - last_write));
    if (end_at) wait = std::min(wait, std::chrono::ceil<std::chrono::milliseconds>(*end_at - now));
    if (wait.count() > 0 && co_await wakeup->Wait(wait)) continue;
    if (reader_done) break;
    if (end_at && std::chrono::steady_clock::now() >= *end_at) continue;  // ends above, after a last Take
    if (std::chrono::steady_clock::now() - last_write >= spec->heartbeat_interval) {
      stream.expires_after(server.options.write_timeout);
      auto [ec, n] = co_await asio::async_write(stream, bhttp::make_chunk(asio::buffer(spec->heartbeat)),
                                                asio::as_tuple(asio::use_awaitable));
      (void)n;
      if (ec) break;
      last_write = std::chrono::steady_clock::now();
    }
  }
  control.idle = false;

  // The producer learns the client is gone (if it did not close itself), and the
  // watcher is stopped and waited for: it refers to this frame.
  writer->MarkGone();
  boost::system::error_code ignored;
  stream.socket().cancel(ignored);
  while (!reader_done) co_await wakeup->Wait(std::chrono::milliseconds(50));
}

}  // namespace atrium::transport
