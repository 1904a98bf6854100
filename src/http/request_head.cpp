#include "http/request_head.hpp"

#include <algorithm>

#include "http/headers.hpp"

namespace atrium::http {

namespace {

// RFC 9110 §5.6.2: token characters.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ApiError WithStatus(ErrorKind kind, int status, std::string message) {
  ApiError error = MakeError(kind, std::move(message));
  error.status = status;
  return error;
}

}  // namespace

ApiError HeadError(HeadProblem problem) {
  switch (problem) {
    case HeadProblem::kNone:
    case HeadProblem::kMalformed:
      return MakeError(ErrorKind::kBadRequest, "Malformed HTTP request");
    case HeadProblem::kRequestLineTooLong:
      // No ErrorKind of its own: dialects show it as their "header too large" code.
      return WithStatus(ErrorKind::kHeadersTooLarge, 414, "Request line too long");
    case HeadProblem::kHeaderTooLarge:
      return MakeError(ErrorKind::kHeadersTooLarge, "Request header fields too large");
    case HeadProblem::kTooManyFields:
      return MakeError(ErrorKind::kHeadersTooLarge, "Too many request header fields");
    case HeadProblem::kMissingHost:
      return MakeError(ErrorKind::kBadRequest, "Missing Host header");
    case HeadProblem::kMultipleHost:
      return MakeError(ErrorKind::kBadRequest, "More than one Host header");
    case HeadProblem::kBadContentLength:
      return MakeError(ErrorKind::kBadRequest, "Invalid Content-Length");
    case HeadProblem::kLengthWithEncoding:
      return MakeError(ErrorKind::kBadRequest, "Content-Length and Transfer-Encoding together");
    case HeadProblem::kBadTransferEncoding:
      return MakeError(ErrorKind::kBadRequest, "Invalid Transfer-Encoding");
    case HeadProblem::kUnknownTransferCoding:
      return WithStatus(ErrorKind::kBadRequest, 501, "Unsupported Transfer-Encoding");
  }
  return MakeError(ErrorKind::kBadRequest, "Malformed HTTP request");
}

RequestHeadScanner::RequestHeadScanner(const HeadLimits& limits) : limits_(limits) {
  // A request line that cannot fit in the head (with its CRLF) is "too long" too.
  limits_.max_request_line_bytes =
      std::min(limits_.max_request_line_bytes, limits_.max_header_bytes >= 2 ? limits_.max_header_bytes - 2 : 0);
}

RequestHeadScanner::State RequestHeadScanner::Fail(HeadProblem problem) {
  state_ = State::kFailed;
  problem_ = problem;
  return state_;
}

RequestHeadScanner::State RequestHeadScanner::Feed(std::string_view input) {
  while (state_ == State::kNeedMore) {
    const auto newline = input.find('\n', pos_);
    if (newline == std::string_view::npos) {
      // An unfinished line: refuse as soon as it cannot end within the limits.
      std::size_t partial = input.size() - pos_;
      if (partial > 0 && input.back() == '\r') --partial;
      if (!request_line_seen_ && partial > limits_.max_request_line_bytes) {
        return Fail(HeadProblem::kRequestLineTooLong);
      }
      if (input.size() >= limits_.max_header_bytes) return Fail(HeadProblem::kHeaderTooLarge);
      return state_;
    }
    // The limits first, in the order the unfinished-line check applies them, so the
    // verdict never depends on where the reads split the input.
    const bool crlf = newline > pos_ && input[newline - 1] == '\r';
    const std::string_view line = input.substr(pos_, newline - pos_ - (crlf ? 1 : 0));
    if (!request_line_seen_ && line.size() > limits_.max_request_line_bytes) {
      return Fail(HeadProblem::kRequestLineTooLong);
    }
    if (newline + 1 > limits_.max_header_bytes) return Fail(HeadProblem::kHeaderTooLarge);
    if (!crlf) return Fail(HeadProblem::kMalformed);  // a bare LF
    pos_ = newline + 1;
    Line(line);
  }
  return state_;
}

void RequestHeadScanner::Line(std::string_view line) {
  if (!request_line_seen_) {
    if (line.empty()) {
      Fail(HeadProblem::kMalformed);
      return;
    }
    request_line_seen_ = true;
    http10_ = line.ends_with(" HTTP/1.0");
    return;
  }
  if (line.empty()) {
    head_size_ = pos_;
    const HeadProblem problem = Framing();
    if (problem != HeadProblem::kNone) {
      Fail(problem);
    } else {
      state_ = State::kComplete;
    }
    return;
  }
  // obs-fold (RFC 9112 §5.2) is refused rather than unfolded, so no two readers disagree;
  // so is a blank between name and colon (§5.1): the name must be a bare token.
  const auto colon = line.find(':');
  if (line.front() == ' ' || line.front() == '\t' || colon == std::string_view::npos ||
      !IsToken(line.substr(0, colon))) {
    Fail(HeadProblem::kMalformed);
    return;
  }
  if (++fields_ > limits_.max_fields) {
    Fail(HeadProblem::kTooManyFields);
    return;
  }
  Field(line.substr(0, colon), TrimBlanks(line.substr(colon + 1)));
}

void RequestHeadScanner::Field(std::string_view name, std::string_view value) {
  if (EqualsIgnoreCase(name, "Host")) {
    ++hosts_;
  } else if (EqualsIgnoreCase(name, "Content-Length")) {
    ContentLength(value);
  } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
    ++transfer_encodings_;
    TransferCodings(value);
  }
}

void RequestHeadScanner::ContentLength(std::string_view value) {
  // One value, digits only; a list ("5, 5") counts as duplicates. 19 digits fit 64 bits.
  ++content_lengths_;
  if (value.empty() || value.size() > 19) bad_content_length_ = true;
  for (const char c : value) {
    if (c < '0' || c > '9') bad_content_length_ = true;
  }
}

void RequestHeadScanner::TransferCodings(std::string_view value) {
  // A list of codings, each a token with optional ";param"; empty elements are allowed
  // (RFC 9110 §5.6.1) and skipped.
  while (true) {
    const auto comma = value.find(',');
    const std::string_view element = TrimBlanks(value.substr(0, comma));
    if (!element.empty()) {
      const std::string_view coding = TrimBlanks(element.substr(0, element.find(';')));
      ++codings_;
      if (!IsToken(coding)) bad_coding_ = true;
      last_is_chunked_ = EqualsIgnoreCase(coding, "chunked");
      if (last_is_chunked_) ++chunked_;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

HeadProblem RequestHeadScanner::Framing() const {
  if (bad_content_length_ || content_lengths_ > 1) return HeadProblem::kBadContentLength;
  if (transfer_encodings_ > 0) {
    if (content_lengths_ > 0) return HeadProblem::kLengthWithEncoding;
    // HTTP/1.0 has no transfer codings (RFC 9112 §6.1: faulty framing).
    if (http10_ || bad_coding_ || codings_ == 0 || !last_is_chunked_ || chunked_ > 1) {
      return HeadProblem::kBadTransferEncoding;
    }
    if (codings_ > 1) return HeadProblem::kUnknownTransferCoding;  // e.g. "gzip, chunked"
  }
  if (hosts_ > 1) return HeadProblem::kMultipleHost;
  if (hosts_ == 0 && !http10_) return HeadProblem::kMissingHost;
  return HeadProblem::kNone;
}

}  // namespace atrium::http
