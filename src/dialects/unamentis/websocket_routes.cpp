// WS /ws: the management console's live channel. On connect the server says
// `connected` with its time and stats; a `ping` is answered with `pong`.

#include <atomic>
#include <boost/json.hpp>

#include "core/clock.hpp"
#include "core/events/event_bus.hpp"
#include "core/logs/client_log_service.hpp"
#include "dialects/unamentis/unamentis.hpp"
#include "http/json_body.hpp"
#include "http/websocket.hpp"

namespace atrium::dialects::unamentis {

namespace {

namespace json = boost::json;

class ConsoleSocket final : public http::WebSocketHandler {
 public:
  ConsoleSocket(const Deps& services, std::shared_ptr<std::atomic<int>> online, std::int64_t total_logs)
      : services_(services), online_(std::move(online)), total_logs_(total_logs) {}

  void OnOpen(std::shared_ptr<http::WebSocketConnection> connection) override {
    connection_ = std::move(connection);
    // Live broadcasts. A console that falls behind loses the oldest, not the connection.
    subscription_ = services_.events.Subscribe({core::logs::ClientLogService::Topic()},
                                               {64, core::events::OverflowPolicy::kDropOldest});
    const int online = online_->fetch_add(1) + 1;
    counted_ = true;
    connection_->SendText(
        http::ToJsonText(json::object{{"type", "connected"},
                                      {"data",
                                       {{"server_time", core::FormatRfc3339(services_.clock.Now())},
                                        {"stats", {{"total_logs", total_logs_}, {"online_clients", online}}}}}}));
    // Runs on the publisher's thread; SendText is thread-safe. Set after `connected`
    // so that message always comes first.
    subscription_->SetNotifier([this] { Drain(); });
  }

  void OnText(std::string_view text) override {
    boost::system::error_code ec;
    const auto message = json::parse(text, ec);
    const json::object* o = (!ec && message.is_object()) ? &message.as_object() : nullptr;
    const json::value* type = o ? o->if_contains("type") : nullptr;
    if (type == nullptr || !type->is_string()) {
      Error("invalid_message", "Messages must be JSON objects with a string \"type\"");
      return;
    }
    if (type->as_string() == "ping") {
      const auto now = std::chrono::duration<double>(services_.clock.Now().time_since_epoch()).count();
      connection_->SendText(http::ToJsonText(json::object{{"type", "pong"}, {"timestamp", now}}));
      return;
    }
    Error("unknown_type", "Unknown message type");
  }

  void OnBinary(std::string_view) override { Error("invalid_message", "Binary messages are not supported"); }

  void OnClose(int) override {
    subscription_.reset();  // waits for a running notifier; none runs after this
    Release();
  }
  ~ConsoleSocket() override {
    subscription_.reset();
    Release();
  }

 private:
  void Error(std::string_view code, std::string_view message) {
    connection_->SendText(
        http::ToJsonText(json::object{{"type", "error"}, {"data", {{"error", code}, {"message", message}}}}));
  }
  // Events become the spec's broadcast messages: {"type": "log_received", "data": {...}}.
  void Drain() {
    while (auto event = subscription_->TryPop()) {
      const auto* log = event->As<core::logs::ClientLogReceived>();
      if (log == nullptr) continue;
      json::object data{{"id", log->id},
                        {"timestamp", log->timestamp},
                        {"level", log->level},
                        {"label", log->label},
                        {"message", log->message}};
      if (log->client_id) data["client_id"] = *log->client_id;
      if (log->client_name) data["client_name"] = *log->client_name;
      connection_->SendText(http::ToJsonText(json::object{{"type", "log_received"}, {"data", std::move(data)}}));
    }
  }

  void Release() {
    if (counted_) online_->fetch_sub(1);
    counted_ = false;
  }

  const Deps& services_;
  std::shared_ptr<std::atomic<int>> online_;
  std::int64_t total_logs_;
  std::shared_ptr<http::WebSocketConnection> connection_;
  bool counted_ = false;
  std::unique_ptr<core::events::Subscription> subscription_;  // last: goes first
};

}  // namespace

void AddWebSocketRoutes(http::Site& site, const Deps& services) {
  // Live console connections; until client heartbeats exist this is what
  // `online_clients` counts.
  auto online = std::make_shared<std::atomic<int>>(0);
  http::WebSocketRoute route;
  route.accept = [&services, online](http::Request&) -> http::Result<std::unique_ptr<http::WebSocketHandler>> {
    // Runs on a worker thread: counting the stored logs may touch the disk.
    auto total = services.client_logs.Count();
    if (!total) return http::FromCoreError(total.error());
    return std::make_unique<ConsoleSocket>(services, online, *total);
  };
  site.AddWebSocket("/ws", std::move(route));
}

}  // namespace atrium::dialects::unamentis
