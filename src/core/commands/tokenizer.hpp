#pragma once
// Splits everyday English into tokens for the command grammar: words (lower-cased
// ASCII, other bytes kept), numbers, ordinals ("3rd"), clock times ("15:30", "3pm",
// "3:30 p.m." is a number, a clock or a word "p.m."), ISO dates, numeric dates ("12/20",
// "12/20/2026", "25.12.", "25.12.2026") and punctuation. German capital umlauts are
// lower-cased too ("Übermorgen" -> "übermorgen"). Every token remembers its byte range
// in the input so titles keep the user's spelling.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace atrium::core::commands {

enum class TokenKind { kWord, kNumber, kOrdinal, kClock, kIsoDate, kNumericDate, kPunct };

struct Token {
  TokenKind kind = TokenKind::kWord;
  std::string text;  // lower-cased; "a.m." and "p.m." become "am" and "pm"
  std::size_t begin = 0, end = 0;
  double number = 0;  // kNumber (may have a fraction), kOrdinal
  bool integer = true;
  int hour = 0, minute = 0;          // kClock
  int meridiem = 0;                  // kClock: 0 none, 1 am, 2 pm
  int year = 0, month = 0, day = 0;  // kIsoDate; kNumericDate (year 0: not said)
  // kNumericDate: the two numbers as written, and the separator ('/' or '.'). Which is
  // the month is the grammar's decision ("12/20" is month/day, "25.12." day.month).
  int first = 0, second = 0;
  char separator = 0;
};

std::vector<Token> Tokenize(std::string_view input);

}  // namespace atrium::core::commands
