#include "core/commands/when_words.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "core/commands/when_grammar.hpp"

namespace atrium::core::commands {

namespace chr = std::chrono;
using Ymd = chr::year_month_day;

Unit UnitWord(const std::string& w) {
  if (w == "min" || w == "mins" || w == "minute" || w == "minutes" || w == "m") return Unit::kMinute;
  if (w == "h" || w == "hr" || w == "hrs" || w == "hour" || w == "hours") return Unit::kHour;
  if (w == "day" || w == "days") return Unit::kDay;
  if (w == "week" || w == "weeks" || w == "wk" || w == "wks") return Unit::kWeek;
  if (w == "month" || w == "months") return Unit::kMonth;
  if (w == "year" || w == "years" || w == "yr" || w == "yrs") return Unit::kYear;
  // German
  if (w == "minute" || w == "minuten") return Unit::kMinute;
  if (w == "stunde" || w == "stunden" || w == "std") return Unit::kHour;
  if (w == "tag" || w == "tage" || w == "tagen") return Unit::kDay;
  if (w == "woche" || w == "wochen") return Unit::kWeek;
  if (w == "monat" || w == "monate" || w == "monaten") return Unit::kMonth;
  if (w == "jahr" || w == "jahre" || w == "jahren") return Unit::kYear;
  return Unit::kNone;
}

int MonthWord(const std::string& w) {
  static constexpr std::array<std::string_view, 12> kFull = {"january",   "february", "march",    "april",
                                                             "may",       "june",     "july",     "august",
                                                             "september", "october",  "november", "december"};
  static constexpr std::array<std::string_view, 12> kShort = {"jan", "feb", "mar", "apr", "may", "jun",
                                                              "jul", "aug", "sep", "oct", "nov", "dec"};
  for (std::size_t i = 0; i < 12; ++i) {
    if (w == kFull[i] || w == kShort[i]) return static_cast<int>(i) + 1;
  }
  if (w == "sept") return 9;
  // German (the forms that differ from English)
  static constexpr std::array<std::pair<std::string_view, int>, 14> kGerman = {{{"januar", 1},
                                                                                {"jänner", 1},
                                                                                {"jän", 1},
                                                                                {"februar", 2},
                                                                                {"märz", 3},
                                                                                {"maerz", 3},
                                                                                {"mai", 5},
                                                                                {"juni", 6},
                                                                                {"juli", 7},
                                                                                {"oktober", 10},
                                                                                {"okt", 10},
                                                                                {"dezember", 12},
                                                                                {"dez", 12},
                                                                                {"mrz", 3}}};
  for (const auto& [name, month] : kGerman) {
    if (w == name) return month;
  }
  return 0;
}

int WeekdayWord(const std::string& w) {
  static constexpr std::array<std::array<std::string_view, 3>, 7> kNames = {{{"sunday", "sundays", "sunday's"},
                                                                             {"monday", "mon", "mondays"},
                                                                             {"tuesday", "tue", "tues"},
                                                                             {"wednesday", "wed", "weds"},
                                                                             {"thursday", "thu", "thurs"},
                                                                             {"friday", "fri", "fridays"},
                                                                             {"saturday", "saturdays", "saturday's"}}};
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    for (auto n : kNames[i]) {
      if (w == n) return static_cast<int>(i);
    }
  }
  if (w == "thur") return 4;
  static constexpr std::array<std::string_view, 7> kGerman = {"sonntag",    "montag",  "dienstag", "mittwoch",
                                                              "donnerstag", "freitag", "samstag"};
  for (std::size_t i = 0; i < kGerman.size(); ++i) {
    if (w == kGerman[i] || (w.size() == kGerman[i].size() + 1 && w.back() == 's' && w.starts_with(kGerman[i]))) {
      return static_cast<int>(i);  // "Freitag", "freitags"
    }
  }
  if (w == "sonnabend") return 6;
  return -1;
}

Ymd AddDays(Ymd d, int n) { return Ymd{chr::sys_days(d) + chr::days(n)}; }

unsigned MonthLength(int y, unsigned m) {
  return unsigned(chr::year_month_day_last{chr::year(y), chr::month_day_last{chr::month(m)}}.day());
}

Ymd AddMonths(Ymd d, int n) {
  const int total = int(d.year()) * 12 + int(unsigned(d.month())) - 1 + n;
  const int y = total / 12;
  const unsigned m = static_cast<unsigned>(total % 12) + 1;
  const unsigned day = std::min(unsigned(d.day()), MonthLength(y, m));
  return Ymd{chr::year(y), chr::month(m), chr::day(day)};
}

int IsoIndex(Ymd d) { return static_cast<int>(chr::weekday(chr::sys_days(d)).iso_encoding()) - 1; }
int SundayIndex(Ymd d) { return static_cast<int>(chr::weekday(chr::sys_days(d)).c_encoding()); }

int InferHour(int h, bool& guessed) {
  guessed = h >= 1 && h <= 11;
  return (h >= 1 && h <= 6) ? h + 12 : h;
}

const char* MonthName(int month) {
  static constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                                "July",    "August",   "September", "October", "November", "December"};
  return month >= 1 && month <= 12 ? kMonthNames[month - 1] : "";
}

int NumberWord(const std::string& w) {
  static constexpr std::array<std::string_view, 21> kSmall = {
      "zero",     "one",     "two",     "three",     "four",     "five",     "six",
      "seven",    "eight",   "nine",    "ten",       "eleven",   "twelve",   "thirteen",
      "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  for (std::size_t i = 0; i < kSmall.size(); ++i) {
    if (w == kSmall[i]) return static_cast<int>(i);
  }
  if (w == "thirty") return 30;
  if (w == "forty") return 40;
  if (w == "fifty") return 50;
  if (w == "sixty") return 60;
  if (w == "ninety") return 90;
  // German
  static constexpr std::array<std::string_view, 13> kGerman = {
      "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"};
  for (std::size_t i = 0; i < kGerman.size(); ++i) {
    if (w == kGerman[i]) return static_cast<int>(i);
  }
  if (w == "zwanzig") return 20;
  if (w == "dreißig" || w == "dreissig") return 30;
  return -1;
}

}  // namespace atrium::core::commands
