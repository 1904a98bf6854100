#pragma once
// The grammar of "when" in a command: dates ("tomorrow", "next Friday", "on the 3rd",
// "March 5", "in 2 weeks", "end of month"), times ("3pm", "15:30", "noon", "at 9",
// "in 20 minutes"), durations ("for 2 hours", "30 min") and ranges ("from 3 to 5pm",
// "next 3 days"). It reads tokens, marks the ones it used, and returns what they say
// in calendar terms; turning that into instants in a time zone is the caller's part.
//
// Conventions (documented in docs/dialects.md):
// - a weekday alone ("Friday", "on Friday", "this Friday") is the next such day after
//   today; "next Friday" is the Friday of next week (weeks start on Monday);
// - "the 3rd" and "March 5" are the next such day from today on (today included);
// - a bare hour after "at" ("at 9") is 09:00; 1 to 6 without am/pm mean the afternoon;
// - "end of week" is Friday, "end of month" the month's last day.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/commands/tokenizer.hpp"

namespace atrium::core::commands {

struct When {
  std::optional<std::chrono::year_month_day> date;
  std::optional<int> time;      // minutes after local midnight
  bool time_guessed = false;    // am/pm or the hour itself was inferred
  std::optional<int> end_time;  // minutes after local midnight of the same day
  std::optional<std::chrono::seconds> duration;
  std::optional<std::chrono::seconds> from_now;  // "in 20 minutes": an instant, not a date
  int range_days = 0;                            // "next week": 7, "next 3 days": 3
  int conflicts = 0;                             // a second date or time that was ignored
  std::string error;                             // the input names an impossible date ("February 30")
};

struct WhenScan {
  When when;
  std::vector<bool> used;  // per token: part of a when-phrase
};

// `today` is the user's local date, the anchor of every relative phrase.
WhenScan ScanWhen(const std::vector<Token>& tokens, std::chrono::year_month_day today);

// Words for small numbers ("two", "twenty"), or -1.
int NumberWord(const std::string& word);

}  // namespace atrium::core::commands
