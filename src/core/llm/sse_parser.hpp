#pragma once
// An incremental Server-Sent Events parser (the WHATWG event-stream format), for
// upstream answers that arrive in arbitrary pieces. Pure code: no I/O, no allocation
// beyond the event being assembled, bounded by `max_event_bytes`.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace atrium::core::llm {

struct SseEvent {
  std::string event;  // the `event:` field; empty means "message"
  std::string data;   // `data:` lines joined by '\n'
  std::string id;     // the last `id:` seen so far (sticky, as the format says)
};

class SseParser {
 public:
  explicit SseParser(std::size_t max_event_bytes = 1 << 20) : max_event_bytes_(max_event_bytes) {}

  // Feeds the next piece of the stream; calls `on_event` for every event completed by
  // it (a blank line after at least one data line). Returns false, and stops for good,
  // when a line or event grew past the bound.
  bool Feed(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event);

  // True once a bound was exceeded.
  bool failed() const { return failed_; }

 private:
  bool FeedLines(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event);
  void Line(std::string_view line, const std::function<void(const SseEvent&)>& on_event);

  std::size_t max_event_bytes_;
  std::string line_;       // the incomplete line carried over between pieces
  bool after_cr_ = false;  // the previous piece ended in '\r' (a following '\n' belongs to it)
  bool bom_checked_ = false;
  std::string head_;  // the first bytes, until a byte-order mark is ruled in or out
  bool failed_ = false;
  bool has_data_ = false;
  SseEvent event_;
  std::string last_id_;
};

}  // namespace atrium::core::llm
