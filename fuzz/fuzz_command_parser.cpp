// The command grammar (POST /v1/commands/parse, WhatsApp messages) on any text, and the
// IMAP response readers on any server output. Errors are values: nothing may throw or
// crash; a parsed event never ends before it starts.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/commands/command_parser.hpp"
#include "transport/mail/imap_response.hpp"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto zone = atrium::core::time::TimeZone::Load("Europe/Berlin");
  const auto& tz = zone ? *zone : atrium::core::time::TimeZone::Utc();
  const atrium::core::time::Seconds now{std::chrono::seconds(1774695600)};  // before a DST change
  const auto r = atrium::core::commands::ParseCommand(text, now, tz);
  Check(r.parsed || !r.reason.empty());
  if (r.parsed && r.command.start && r.command.end) Check(*r.command.end >= *r.command.start);
  (void)atrium::transport::mail::ParseSearch(text);
  (void)atrium::transport::mail::ParseFetch(text);
  return 0;
}
