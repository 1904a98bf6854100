#pragma once
// The lexicon and calendar arithmetic of the when grammar: unit, month and weekday
// words, number words, and day/month steps on civil dates.

#include <chrono>
#include <string>

namespace atrium::core::commands {

enum class Unit { kNone, kMinute, kHour, kDay, kWeek, kMonth, kYear };

Unit UnitWord(const std::string& w);
// 1-12, or 0 when `w` names no month ("sept" and three-letter forms count).
int MonthWord(const std::string& w);
// 0 = Sunday ... 6 = Saturday, -1 when not a weekday.
int WeekdayWord(const std::string& w);
// "January" for 1.
const char* MonthName(int month);

std::chrono::year_month_day AddDays(std::chrono::year_month_day d, int n);
// Keeps the day, clamped to the target month's length (Jan 31 + 1 month = Feb 28).
std::chrono::year_month_day AddMonths(std::chrono::year_month_day d, int n);
unsigned MonthLength(int year, unsigned month);
// Monday = 0 ... Sunday = 6.
int IsoIndex(std::chrono::year_month_day d);
// Sunday = 0 ... Saturday = 6.
int SundayIndex(std::chrono::year_month_day d);
// An hour said without am/pm: 1-6 are taken as the afternoon, 7-11 as the morning;
// `guessed` tells whether anything was inferred.
int InferHour(int h, bool& guessed);

}  // namespace atrium::core::commands
