#include "dialects/common/echo_routes.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

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
  site.Add(http::Method::kGet, "/__atrium/echo/sse",
           [](http::Request& req) -> http::Reply {
             const int count = IntParam(req, "count", 3, 0, 100000);
             const int interval_ms = IntParam(req, "interval_ms", 10, 0, 60000);
             auto body = std::make_shared<http::StreamBody>();
             body->heartbeat_interval = std::chrono::milliseconds(IntParam(req, "heartbeat_ms", 15000, 10, 600000));
             body->start = [count, interval_ms](std::shared_ptr<http::StreamWriter> writer) {
               // A test producer on its own thread; it stops as soon as the client is gone.
               std::thread([writer, count, interval_ms] {
                 for (int i = 0; i < count; ++i) {
                   if (!writer->Write(http::SseFrame("message", "{\"n\":" + std::to_string(i) + "}"))) return;
                   std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
                 }
                 writer->Write(http::SseFrame("done", "{\"count\":" + std::to_string(count) + "}"));
                 writer->Close();
               }).detach();
             };
             http::Response r;
             r.status = 200;
             r.headers.Set("Content-Type", "text/event-stream");
             r.stream = std::move(body);
             return r;
           },
           {.blocking = false});

  http::WebSocketRoute ws;
  ws.accept = [](http::Request&) -> std::variant<std::unique_ptr<http::WebSocketHandler>, http::ApiError> {
    return std::make_unique<EchoSocket>();
  };
  ws.options.max_message_bytes = 64 * 1024;
  ws.options.max_queued_messages = 64;
  site.AddWebSocket("/__atrium/echo/ws", std::move(ws));
}

}  // namespace atrium::dialects
