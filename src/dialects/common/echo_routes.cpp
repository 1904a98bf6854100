#include "dialects/common/echo_routes.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace atrium::dialects {

namespace {

int IntParam(const http::Request& req, std::string_view name, int fallback, int lo, int hi) {
  const auto text = req.QueryParam(name);
  if (!text) return fallback;
  int value = fallback;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return fallback;
  return std::clamp(value, lo, hi);
}

// The SSE echo's producer threads. Owned by the route, so they are stopped and joined
// when the site goes away, which is before the server (and the event loops their
// writers post to) is destroyed: no producer outlives the server.
class EchoProducers {
 public:
  static constexpr std::size_t kMaxRunning = 256;

  ~EchoProducers() {
    stop_->store(true);
    std::lock_guard lock(mu_);
    for (auto& p : running_) p.thread.join();
  }

  // Runs `body(stop)` on a new thread; false when too many are running or stopping.
  bool Start(std::function<void(const std::atomic<bool>& stop)> body) {
    std::lock_guard lock(mu_);
    if (stop_->load()) return false;
    std::erase_if(running_, [](Producer& p) {
      if (!p.done->load()) return false;
      p.thread.join();
      return true;
    });
    if (running_.size() >= kMaxRunning) return false;
    auto done = std::make_shared<std::atomic<bool>>(false);
    running_.push_back({std::thread([stop = stop_, done, body = std::move(body)] {
                          body(*stop);
                          done->store(true);
                        }),
                        done});
    return true;
  }

 private:
  struct Producer {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::shared_ptr<std::atomic<bool>> stop_ = std::make_shared<std::atomic<bool>>(false);
  std::mutex mu_;
  std::vector<Producer> running_;
};

// Sleeps `ms`, waking early once `stop` is set.
void SleepUnlessStopped(int ms, const std::atomic<bool>& stop) {
  for (int slept = 0; slept < ms && !stop.load(); slept += 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10, ms - slept)));
  }
}

class EchoSocket final : public http::WebSocketHandler {
 public:
  void OnOpen(std::shared_ptr<http::WebSocketConnection> connection) override { connection_ = std::move(connection); }
  void OnText(std::string_view text) override {
    if (text == "close") {
      connection_->Close(http::kCloseNormal, "bye");
      return;
    }
    connection_->SendText(std::string(text));
  }
  void OnBinary(std::string_view bytes) override { connection_->SendBinary(std::string(bytes)); }

 private:
  std::shared_ptr<http::WebSocketConnection> connection_;
};

}  // namespace

void AddEchoRoutes(http::Site& site) {
  auto producers = std::make_shared<EchoProducers>();
  site.Add(http::Method::kGet, "/__atrium/echo/sse",
           [producers](http::Request& req) -> http::Reply {
             const int count = IntParam(req, "count", 3, 0, 100000);
             const int interval_ms = IntParam(req, "interval_ms", 10, 0, 60000);
             auto body = std::make_shared<http::StreamBody>();
             body->heartbeat_interval = std::chrono::milliseconds(IntParam(req, "heartbeat_ms", 15000, 10, 600000));
             std::weak_ptr<EchoProducers> weak = producers;
             body->start = [weak, count, interval_ms](std::shared_ptr<http::StreamWriter> writer) {
               // A test producer on its own thread; it stops as soon as the client is gone.
               auto owner = weak.lock();
               const bool started = owner && owner->Start([writer, count, interval_ms](const std::atomic<bool>& stop) {
                 for (int i = 0; i < count && !stop.load(); ++i) {
                   if (!writer->Write(http::SseFrame("message", "{\"n\":" + std::to_string(i) + "}"))) return;
                   SleepUnlessStopped(interval_ms, stop);
                 }
                 if (stop.load()) return;
                 writer->Write(http::SseFrame("done", "{\"count\":" + std::to_string(count) + "}"));
                 writer->Close();
               });
               if (!started) writer->Close();
             };
             http::Response r;
             r.status = 200;
             r.headers.Set("Content-Type", "text/event-stream");
             r.stream = std::move(body);
             return r;
           },
           {.blocking = false});

  http::WebSocketRoute ws;
  ws.accept = [](http::Request&) -> http::Result<std::unique_ptr<http::WebSocketHandler>> {
    return std::make_unique<EchoSocket>();
  };
  ws.options.max_message_bytes = 64 * 1024;
  ws.options.max_queued_messages = 64;
  site.AddWebSocket("/__atrium/echo/ws", std::move(ws));
}

}  // namespace atrium::dialects
