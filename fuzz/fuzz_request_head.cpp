// The request head scanner (http/request_head.hpp) the transport runs on raw client
// bytes before Beast parses them: the limits on bytes, request line and field count, and
// the framing rules (Host, Content-Length, Transfer-Encoding). Properties: the verdict
// does not depend on how the bytes arrive; a complete head is within every limit, ends
// with an empty line and is a prefix of the input; its size is where the scan stopped;
// every refusal maps to 400, 414, 431 or 501.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/request_head.hpp"

namespace {

using atrium::http::HeadLimits;
using atrium::http::HeadProblem;
using atrium::http::RequestHeadScanner;
using State = RequestHeadScanner::State;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Outcome {
  State state;
  std::size_t head_size;
  HeadProblem problem;
  bool operator==(const Outcome&) const = default;
};

Outcome Whole(std::string_view input, const HeadLimits& limits) {
  RequestHeadScanner scanner(limits);
  scanner.Feed(input);
  return {scanner.state(), scanner.state() == State::kComplete ? scanner.head_size() : 0, scanner.problem()};
}

// The input arriving in pieces, as reads deliver it; `seed` picks the piece sizes. Stops
// feeding once the scanner decided, as the session does.
Outcome Pieces(std::string_view input, const HeadLimits& limits, std::uint32_t seed) {
  RequestHeadScanner scanner(limits);
  std::size_t n = 0;
  while (scanner.Feed(input.substr(0, n)) == State::kNeedMore && n < input.size()) {
    seed = seed * 1103515245u + 12345u;
    n = std::min(input.size(), n + 1 + (seed >> 16) % 7);
  }
  return {scanner.state(), scanner.state() == State::kComplete ? scanner.head_size() : 0, scanner.problem()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  // Small limits, so the fuzzer reaches them: bytes 0-2 choose them.
  const HeadLimits limits{.max_request_line_bytes = 8 + data[0] % 64u,
                          .max_header_bytes = 16 + data[1] * 2u,
                          .max_fields = 1 + data[2] % 12u};
  const std::string_view input(reinterpret_cast<const char*>(data) + 3, size - 3);

  const Outcome whole = Whole(input, limits);
  Check(Pieces(input, limits, static_cast<std::uint32_t>(size)) == whole);
  Check(Pieces(input, limits, data[0] * 131u + data[1]) == whole);

  switch (whole.state) {
    case State::kComplete: {
      Check(whole.problem == HeadProblem::kNone);
      Check(whole.head_size <= input.size() && whole.head_size <= limits.max_header_bytes);
      const std::string_view head = input.substr(0, whole.head_size);
      Check(head.size() >= 4 && head.ends_with("\r\n\r\n"));
      Check(head.find("\r\n\r\n") == head.size() - 4);  // the first empty line ends it
      Check(head.find("\r\n") <= limits.max_request_line_bytes);
      std::size_t lines = 0;
      for (const char c : head) lines += c == '\n' ? 1 : 0;
      Check(lines >= 2 && lines - 2 <= limits.max_fields);
      // The head alone is complete; one byte less is not.
      Check(Whole(head, limits) == whole);
      Check(Whole(head.substr(0, head.size() - 1), limits).state == State::kNeedMore);
      break;
    }
    case State::kNeedMore:
      Check(whole.problem == HeadProblem::kNone);
      Check(input.size() < limits.max_header_bytes);
      Check(input.find("\r\n\r\n") == std::string_view::npos);
      break;
    case State::kFailed: {
      Check(whole.problem != HeadProblem::kNone);
      const int status = atrium::http::HeadError(whole.problem).status;
      Check(status == 400 || status == 414 || status == 431 || status == 501);
      // More bytes never rescue a refused head.
      RequestHeadScanner scanner(limits);
      scanner.Feed(input);
      Check(scanner.Feed(input) == State::kFailed && scanner.problem() == whole.problem);
      break;
    }
  }
  return 0;
}
