#include "core/llm/sse_parser.hpp"

namespace atrium::core::llm {

bool SseParser::Feed(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event) {
  if (failed_) return false;
  if (bom_checked_) return FeedLines(bytes, on_event);
  // A UTF-8 byte-order mark may open the stream, and may arrive split.
  static constexpr std::string_view kBom = "\xEF\xBB\xBF";
  head_.append(bytes);  // stays below the mark's length unless decided below
  if (head_.size() < kBom.size() && kBom.substr(0, head_.size()) == head_) return true;
  bom_checked_ = true;
  std::string all;
  all.swap(head_);
  std::string_view view(all);
  if (view.substr(0, kBom.size()) == kBom) view.remove_prefix(kBom.size());
  return FeedLines(view, on_event);
}

bool SseParser::FeedLines(std::string_view bytes, const std::function<void(const SseEvent&)>& on_event) {
  std::size_t i = 0;
  while (i < bytes.size()) {
    if (after_cr_) {
      after_cr_ = false;
      if (bytes[i] == '\n') {  // the second half of a "\r\n"
        ++i;
        continue;
      }
    }
    const auto end = bytes.find_first_of("\r\n", i);
    const auto piece = bytes.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i);
    if (line_.size() + piece.size() > max_event_bytes_) {
      failed_ = true;
      return false;
    }
    line_.append(piece);
    if (end == std::string_view::npos) break;
    Line(line_, on_event);
    if (failed_) return false;
    line_.clear();
    after_cr_ = bytes[end] == '\r';
    i = end + 1;
  }
  return true;
}

void SseParser::Line(std::string_view line, const std::function<void(const SseEvent&)>& on_event) {
  if (line.empty()) {
    if (has_data_) {
      event_.id = last_id_;
      on_event(event_);
    }
    event_.event.clear();
    event_.data.clear();
    has_data_ = false;
    return;
  }
  if (line.front() == ':') return;  // a comment (heartbeats)
  const auto colon = line.find(':');
  std::string_view field = line.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (event_.data.size() + value.size() + 1 > max_event_bytes_) {
      failed_ = true;
      return;
    }
    if (has_data_) event_.data += '\n';
    event_.data.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_.event.assign(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_.assign(value);
  }
  // "retry" and unknown fields are ignored, as the format says.
}

}  // namespace atrium::core::llm
