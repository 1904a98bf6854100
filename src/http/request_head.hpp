#pragma once
// The request head (request line, header fields, the empty line) as it arrives on a
// connection, checked before any parser builds fields from it: every byte and every
// field counts against the limits, and the framing rules that keep two parties from
// reading different requests out of the same bytes (RFC 9112 §3.2, §5.2, §6) are
// enforced. Pure code: no I/O, no allocation; the transport calls it on its read
// buffer, the units and fuzz_request_head call it on strings.

#include <cstddef>
#include <string_view>

#include "http/api_error.hpp"

namespace atrium::http {

struct HeadLimits {
  std::size_t max_request_line_bytes = 8 * 1024;  // method SP target SP version, without CRLF
  std::size_t max_header_bytes = 16 * 1024;       // the whole head, request line to the empty line
  std::size_t max_fields = 100;                   // header field lines
};

// Why a head is refused. Every one of them ends the connection after the answer: the
// framing of what follows cannot be trusted.
enum class HeadProblem {
  kNone,
  kMalformed,              // no request line, bare LF, obs-fold, a field without a name
  kRequestLineTooLong,     // 414
  kHeaderTooLarge,         // 431: more than max_header_bytes in all
  kTooManyFields,          // 431
  kMissingHost,            // 400: an HTTP/1.1 request without Host
  kMultipleHost,           // 400
  kBadContentLength,       // 400: not digits, or more than one value
  kLengthWithEncoding,     // 400: Content-Length and Transfer-Encoding together
  kBadTransferEncoding,    // 400: empty, final coding not chunked, chunked twice, HTTP/1.0
  kUnknownTransferCoding,  // 501: a coding before chunked that the server does not decode
};

// The client-facing error for a problem (status, kind, safe message); kNone is not one.
ApiError HeadError(HeadProblem problem);

// Finds and checks the head at the start of a connection's input. Feed it the whole
// input each time more arrives (the input only grows at its end); it resumes after the
// last complete line, so a head trickling in byte by byte is scanned once. It never
// asks for more than max_header_bytes: past that the head is refused.
class RequestHeadScanner {
 public:
  enum class State { kNeedMore, kComplete, kFailed };

  // A request line longer than max_header_bytes - 2 is refused as too long (414) even
  // when max_request_line_bytes is larger.
  explicit RequestHeadScanner(const HeadLimits& limits);

  State Feed(std::string_view input);

  State state() const { return state_; }
  // When kComplete: the head's size in bytes, its empty line included.
  std::size_t head_size() const { return head_size_; }
  // When kFailed: why.
  HeadProblem problem() const { return problem_; }
  // Field lines seen so far.
  std::size_t fields() const { return fields_; }

 private:
  State Fail(HeadProblem problem);
  // One complete line, without its CRLF.
  void Line(std::string_view line);
  void Field(std::string_view name, std::string_view value);
  void TransferCodings(std::string_view value);
  void ContentLength(std::string_view value);
  HeadProblem Framing() const;

  HeadLimits limits_;
  State state_ = State::kNeedMore;
  HeadProblem problem_ = HeadProblem::kNone;
  std::size_t pos_ = 0;  // where the next line starts
  std::size_t head_size_ = 0;
  bool request_line_seen_ = false;
  bool http10_ = false;
  std::size_t fields_ = 0;
  std::size_t hosts_ = 0;
  std::size_t content_lengths_ = 0;  // values, over every Content-Length field
  bool bad_content_length_ = false;
  std::size_t transfer_encodings_ = 0;  // fields
  std::size_t codings_ = 0;             // over every Transfer-Encoding field
  std::size_t chunked_ = 0;
  bool last_is_chunked_ = false;
  bool bad_coding_ = false;
};

}  // namespace atrium::http
