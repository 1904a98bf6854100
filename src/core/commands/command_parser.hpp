#pragma once
// Everyday English to a typed Command: "create meeting tomorrow at 3pm", "remind me to
// call Anna on Friday at 9", "what's the weather in Berlin", "briefing". The when-part
// comes from the when grammar; this file finds the intent and its arguments (title,
// place, counts) in the words the grammar left, and resolves times to instants in the
// user's time zone.
//
// Stateless and thread-safe; `now` is passed in so results are deterministic.

#include <string>
#include <string_view>

#include "core/commands/command.hpp"
#include "core/time/time_zone.hpp"

namespace atrium::core::commands {

struct ParseResult {
  bool parsed = false;
  Command command;
  double confidence = 0;  // 0.3-0.99, two decimals
  bool requires_approval = false;
  std::string reason;  // why it was not parsed
};

// Inputs longer than this are not parsed (a command is a sentence, not a letter).
inline constexpr std::size_t kMaxCommandInput = 1000;

ParseResult ParseCommand(std::string_view input, time::Seconds now, const time::TimeZone& zone);

}  // namespace atrium::core::commands
