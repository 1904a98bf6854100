#include "core/llm/json_reply.hpp"

#include <boost/json/stream_parser.hpp>

namespace atrium::core::llm {

namespace {

constexpr std::size_t kMaxScan = 64 * 1024;
constexpr int kMaxStarts = 256;

}  // namespace

std::optional<boost::json::value> FirstJsonValue(std::string_view text) {
  if (text.size() > kMaxScan) text = text.substr(0, kMaxScan);
  int starts = 0;
  for (std::size_t i = text.find_first_of("{["); i != std::string_view::npos && starts < kMaxStarts;
       i = text.find_first_of("{[", i + 1), ++starts) {
    boost::json::stream_parser parser;
    boost::system::error_code ec;
    // write_some stops at the end of the first complete value: what follows is prose.
    parser.write_some(text.data() + i, text.size() - i, ec);
    if (ec || !parser.done()) continue;
    return parser.release();
  }
  return std::nullopt;
}

}  // namespace atrium::core::llm
