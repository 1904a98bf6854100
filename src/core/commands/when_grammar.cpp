#include "core/commands/when_grammar.hpp"

#include "core/commands/command.hpp"
#include "core/commands/when_words.hpp"

#include <array>
#include <cmath>
#include <string_view>

namespace atrium::core::commands {

namespace {

namespace chr = std::chrono;
using Ymd = chr::year_month_day;

class Scanner {
 public:
  Scanner(const std::vector<Token>& tokens, Ymd today) : t_(tokens), today_(today) {
    out_.used.assign(tokens.size(), false);
  }

  WhenScan Run() {
    std::size_t i = 0;
    while (i < t_.size()) {
      std::size_t n = 0;
      if (!n) n = TryRelative(i);
      if (!n) n = TryDuration(i);
      if (!n) n = TryRange(i);
      if (!n) n = TryEndTime(i);
      if (!n) n = TryTime(i);
      if (!n) n = TryDate(i);
      if (!n) n = TryPartOfDay(i);
      if (n) {
        for (std::size_t k = i; k < i + n; ++k) out_.used[k] = true;
        i += n;
      } else {
        ++i;
      }
    }
    RefuseUnreadTimes();
    return std::move(out_);
  }

 private:
  // Something that looks like a time but names none ("25:00", "13pm", "25 Uhr") must
  // not leave an event without its time: the phrase is refused instead.
  void RefuseUnreadTimes() {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (out_.used[i]) continue;
      const Token& t = t_[i];
      if (t.kind == TokenKind::kClock) {
        SetError("no such time: " + t.text);
      } else if (t.kind == TokenKind::kNumber && i + 1 < t_.size() && !out_.used[i + 1] &&
                 (Is(i + 1, "am") || Is(i + 1, "pm") || Is(i + 1, "uhr") || Is(i + 1, "o'clock"))) {
        SetError("no such time: " + t.text + " " + t_[i + 1].text);
      }
    }
  }
  void SetError(std::string error) {
    if (out_.when.error.empty()) out_.when.error = std::move(error);
  }

  const Token* At(std::size_t i) const { return i < t_.size() ? &t_[i] : nullptr; }
  bool Is(std::size_t i, std::string_view w) const {
    const Token* t = At(i);
    return t && (t->kind == TokenKind::kWord || t->kind == TokenKind::kPunct) && t->text == w;
  }
  std::string WordAt(std::size_t i) const {
    const Token* t = At(i);
    return t && t->kind == TokenKind::kWord ? t->text : std::string();
  }

  // A quantity: "2", "1.5", "two", "a"/"an" (when `articles`), "half an". Returns the
  // tokens it spans.
  std::size_t Quantity(std::size_t i, double& v, bool articles) const {
    const Token* t = At(i);
    if (!t) return 0;
    if (t->kind == TokenKind::kNumber) {
      v = t->number;
      return v > 0 && v < 100000 ? 1 : 0;
    }
    if (t->kind != TokenKind::kWord) return 0;
    if (t->text == "half" && (Is(i + 1, "an") || Is(i + 1, "a"))) {
      v = 0.5;
      return 2;
    }
    if (t->text == "couple" || (t->text == "a" && Is(i + 1, "couple"))) {
      const std::size_t base = t->text == "a" ? i + 1 : i;
      v = 2;
      return base - i + (Is(base + 1, "of") ? 2 : 1);
    }
    if (articles && (t->text == "a" || t->text == "an")) {
      if (Is(i + 1, "half")) {  // "an hour and a half" is not handled; "a half hour" is
        v = 0.5;
        return 2;
      }
      v = 1;
      return 1;
    }
    if (articles &&
        (t->text == "ein" || t->text == "eine" || t->text == "einen" || t->text == "einer" || t->text == "einem")) {
      if (Is(i + 1, "halbe") || Is(i + 1, "halben")) {  // "eine halbe Stunde"
        v = 0.5;
        return 2;
      }
      v = 1;
      return 1;
    }
    const int n = NumberWord(t->text);
    if (n > 0) {
      v = n;
      return 1;
    }
    return 0;
  }

  // Two phrases naming different days leave no day to trust: the input is refused
  // rather than one of them silently dropped.
  void SetDate(Ymd d) {
    if (!d.ok()) return;
    if (out_.when.date) {
      if (*out_.when.date != d) {
        SetError("the input names two different days: " + FormatDate(*out_.when.date) + " and " + FormatDate(d));
      }
      return;
    }
    out_.when.date = d;
  }
  void SetTime(int minutes, bool guessed, bool meridiem = true) {
    if (out_.when.time && soft_time_) {  // "tonight at 7": the hour refines the part of day
      if (!meridiem) ApplyPartOfDay(minutes, guessed, soft_pm_);
      soft_time_ = false;
      out_.when.time = minutes;
      out_.when.time_guessed = guessed;
      return;
    }
    if (out_.when.time || out_.when.from_now) {
      ++out_.when.conflicts;
      return;
    }
    out_.when.time = minutes;
    out_.when.time_guessed = guessed;
  }

  // "in 20 minutes", "in 2 weeks", "3 days from now", "an hour later".
  std::size_t TryRelative(std::size_t i) {
    double q = 0;
    std::size_t at = i;
    const bool in = Is(i, "in") || Is(i, "within");
    if (in) ++at;
    const std::size_t qn = Quantity(at, q, true);
    if (!qn) return 0;
    const Unit unit = UnitWord(WordAt(at + qn));
    if (unit == Unit::kNone) return 0;
    std::size_t n = at + qn + 1 - i;
    if (!in) {
      if (Is(at + qn + 1, "from") && (Is(at + qn + 2, "now") || Is(at + qn + 2, "today"))) {
        n += 2;
      } else if (Is(at + qn + 1, "later")) {
        n += 1;
      } else {
        return 0;
      }
    }
    switch (unit) {
      case Unit::kMinute:
      case Unit::kHour: {
        const double secs = q * (unit == Unit::kMinute ? 60 : 3600);
        if (secs > 366.0 * 86400) return 0;
        if (out_.when.from_now || out_.when.time) {
          ++out_.when.conflicts;
        } else {
          out_.when.from_now = chr::seconds(static_cast<std::int64_t>(std::llround(secs)));
        }
        return n;
      }
      case Unit::kDay:
      case Unit::kWeek:
        if (q != std::floor(q) || q > 3650) return 0;
        SetDate(AddDays(today_, static_cast<int>(q) * (unit == Unit::kWeek ? 7 : 1)));
        return n;
      case Unit::kMonth:
      case Unit::kYear:
        if (q != std::floor(q) || q > 120) return 0;
        SetDate(AddMonths(today_, static_cast<int>(q) * (unit == Unit::kYear ? 12 : 1)));
        return n;
      case Unit::kNone:
        break;
    }
    return 0;
  }

  // "for 2 hours", "for 30 min", "for an hour and 30 minutes", "45 minutes", "for 3 days".
  std::size_t TryDuration(std::size_t i) {
    const bool has_for = Is(i, "for") || Is(i, "für") || Is(i, "fuer");
    std::size_t at = has_for ? i + 1 : i;
    double total = 0;
    std::size_t parts = 0;
    while (true) {
      double q = 0;
      const std::size_t qn = Quantity(at, q, has_for || parts > 0);
      if (!qn) break;
      const Unit unit = UnitWord(WordAt(at + qn));
      if (unit == Unit::kDay || unit == Unit::kWeek) {
        if (parts > 0 || !has_for || q != std::floor(q) || q > 366) return 0;
        out_.when.range_days = static_cast<int>(q) * (unit == Unit::kWeek ? 7 : 1);
        return at + qn + 1 - i;
      }
      if (unit != Unit::kMinute && unit != Unit::kHour) break;
      // "a 30 minute call": "30 minute" is a duration, but "in 30 minutes" was relative.
      total += q * (unit == Unit::kMinute ? 60 : 3600);
      at += qn + 1;
      ++parts;
      if (Is(at, "long")) ++at;
      if (Is(at, "and") && Quantity(at + 1, q, true) &&
          UnitWord(WordAt(at + 1 + Quantity(at + 1, q, true))) == (unit == Unit::kHour ? Unit::kMinute : Unit::kNone)) {
        ++at;
        continue;
      }
      break;
    }
    if (parts == 0 || total <= 0 || total > 31.0 * 86400) return 0;
    if (out_.when.duration) {
      ++out_.when.conflicts;
    } else {
      out_.when.duration = chr::seconds(static_cast<std::int64_t>(std::llround(total)));
    }
    return at - i;
  }

  // A clock time at `i`: "15:30", "3pm", "3 pm", "noon", "half past 4"; bare numbers
  // ("9") only right after a preposition. `meridiem` tells whether am/pm was said.
  std::size_t TimeCore(std::size_t i, bool after_preposition, int& minutes, bool& guessed, bool& meridiem) const {
    const Token* t = At(i);
    if (!t) return 0;
    guessed = false;
    meridiem = false;
    if (t->kind == TokenKind::kWord) {
      if (t->text == "noon" || t->text == "midday") {
        minutes = 12 * 60;
        meridiem = true;
        return 1;
      }
      if (t->text == "midnight") {
        minutes = 0;
        meridiem = true;
        return 1;
      }
      if (t->text == "half" || t->text == "quarter") {
        const bool past = Is(i + 1, "past") || Is(i + 1, "after");
        const bool to = t->text == "quarter" && (Is(i + 1, "to") || Is(i + 1, "before"));
        if (!past && !to) return 0;
        double h = 0;
        if (!Quantity(i + 2, h, false) || h != std::floor(h) || h < 1 || h > 12) return 0;
        int hour = static_cast<int>(h);
        std::size_t n = 3;
        if (Is(i + 3, "am") || Is(i + 3, "pm")) {
          meridiem = true;
          if (hour == 12) hour = 0;
          if (Is(i + 3, "pm")) hour += 12;
          ++n;
        } else {
          hour = InferHour(hour, guessed);
        }
        const int m = t->text == "half" ? 30 : (past ? 15 : -15);
        minutes = ((hour * 60 + m) + 1440) % 1440;
        return n;
      }
      return 0;
    }
    if (t->kind == TokenKind::kClock) {
      if (t->minute > 59) return 0;
      if (t->meridiem) {
        if (t->hour < 1 || t->hour > 12) return 0;
        meridiem = true;
        minutes = ((t->hour % 12) + (t->meridiem == 2 ? 12 : 0)) * 60 + t->minute;
        return 1;
      }
      if (t->hour > 23) return 0;
      int hour = t->hour;
      if (t->text.front() != '0') hour = InferHour(hour, guessed);
      guessed = guessed && t->hour <= 6;  // "9:15" is read as written; "3:30" is the afternoon
      minutes = hour * 60 + t->minute;
      return Is(i + 1, "uhr") ? 2 : 1;  // "15:30 Uhr"
    }
    if (t->kind == TokenKind::kNumber && !t->integer && Is(i + 1, "uhr")) {  // "15.30 Uhr"
      const auto dot = t->text.find_first_of(".,");
      if (dot == std::string::npos || t->text.size() != dot + 3) return 0;
      const int h = static_cast<int>(t->number);
      const int m = (t->text[dot + 1] - '0') * 10 + (t->text[dot + 2] - '0');
      if (h > 23 || m > 59) return 0;
      minutes = h * 60 + m;
      return 2;
    }
    if (t->kind == TokenKind::kNumber && t->integer) {
      const int h = static_cast<int>(t->number);
      if (h < 0 || h > 23) return 0;
      if (Is(i + 1, "am") || Is(i + 1, "pm")) {
        if (h < 1 || h > 12) return 0;
        meridiem = true;
        minutes = ((h % 12) + (Is(i + 1, "pm") ? 12 : 0)) * 60;
        return 2;
      }
      const bool oclock =
          Is(i + 1, "o'clock") || Is(i + 1, "uhr") || (Is(i + 1, "o") && Is(i + 2, "'") && Is(i + 3, "clock"));
      if (!after_preposition && !oclock) return 0;
      // "at 5 people" or "by 3 days" are not times.
      if (!oclock && UnitWord(WordAt(i + 1)) != Unit::kNone) return 0;
      minutes = InferHour(h, guessed) * 60;
      if (Is(i + 1, "uhr")) guessed = guessed && h <= 6;  // "10 Uhr" as written; "3 Uhr" the afternoon
      if (t->text.size() == 2 && t->text.front() == '0') {
        minutes = h * 60;
        guessed = false;
      }
      return oclock ? (Is(i + 1, "o'clock") || Is(i + 1, "uhr") ? 2 : 4) : 1;
    }
    return 0;
  }

  // A part of the day after a time or alone: "in the morning", "tonight", "afternoon".
  // Returns tokens spanned and the hour it suggests; `pm` when it moves times to the
  // afternoon.
  std::size_t PartOfDay(std::size_t i, int& hour, bool& pm, bool& tonight) const {
    std::size_t at = i;
    tonight = false;
    if (Is(at, "in") && Is(at + 1, "the")) {
      at += 2;
    } else if (Is(at, "this")) {
      at += 1;
    } else if (Is(at, "at") && Is(at + 1, "night")) {
      hour = 21;
      pm = true;
      return 2;
    } else if (Is(at, "am") &&
               (Is(at + 1, "morgen") || Is(at + 1, "vormittag") || Is(at + 1, "nachmittag") || Is(at + 1, "abend"))) {
      at += 1;  // German "am Abend"
    }
    std::string w = WordAt(at);
    if (w == "morgens" || w == "vormittag" || w == "vormittags" || w == "früh" || (w == "morgen" && at != i)) {
      w = "morning";
    } else if (w == "nachmittag" || w == "nachmittags") {
      w = "afternoon";
    } else if (w == "abend" || w == "abends") {
      w = "evening";
    }
    if (w == "morning") {
      hour = 9;
      pm = false;
    } else if (w == "afternoon") {
      hour = 15;
      pm = true;
    } else if (w == "evening") {
      hour = 19;
      pm = true;
    } else if (w == "tonight" && at == i) {
      hour = 20;
      pm = true;
      tonight = true;
    } else {
      return 0;
    }
    if (Is(i, "this") && w != "tonight") tonight = true;  // "this evening" is today
    return at + 1 - i;
  }

  void ApplyPartOfDay(int& minutes, bool& guessed, bool pm) const {
    if (pm && minutes < 12 * 60) minutes += 12 * 60;
    if (!pm && minutes >= 13 * 60 && guessed) minutes -= 12 * 60;
    guessed = false;
  }

  std::size_t TryTime(std::size_t i) {
    std::size_t at = i;
    const bool prep = Is(i, "at") || Is(i, "@") || Is(i, "around") || Is(i, "by") || Is(i, "before") || Is(i, "um") ||
                      Is(i, "gegen") || Is(i, "ab");
    if (prep) ++at;
    int minutes = 0;
    bool guessed = false, meridiem = false;
    const std::size_t n = TimeCore(at, prep, minutes, guessed, meridiem);
    if (!n) return 0;
    at += n;
    int hour = 0;
    bool pm = false, tonight = false;
    if (const std::size_t p = PartOfDay(at, hour, pm, tonight)) {
      if (!meridiem) ApplyPartOfDay(minutes, guessed, pm);
      if (tonight) SetDate(today_);
      at += p;
    }
    SetTime(minutes, guessed, meridiem);
    return at - i;
  }

  // "from 3 to 5pm", "between 2 and 4", "3-4pm", "9:00 to 10:30".
  std::size_t TryRange(std::size_t i) {
    std::size_t at = i;
    const bool between = Is(i, "between") || Is(i, "zwischen");
    const bool prep = between || Is(i, "from") || Is(i, "at") || Is(i, "von") || Is(i, "um");
    if (prep) ++at;
    int a = 0, b = 0;
    bool ga = false, gb = false, ma = false, mb = false;
    const std::size_t n1 = TimeCore(at, true, a, ga, ma);
    if (!n1) return 0;
    // A bare hour starts a range only when a dash joins it to a clear time: "3-5pm".
    const bool bare = !prep && !ma && At(at)->kind != TokenKind::kClock && n1 == 1;
    at += n1;
    const bool dash = Is(at, "-") || Is(at, "\u2013");
    const bool sep = between ? (Is(at, "and") || Is(at, "und"))
                             : (Is(at, "to") || Is(at, "until") || Is(at, "till") || Is(at, "bis") || dash);
    if (!sep || (bare && !dash)) return 0;
    ++at;
    const std::size_t n2 = TimeCore(at, true, b, gb, mb);
    if (!n2) return 0;
    if (bare && !mb && At(at)->kind != TokenKind::kClock && n2 == 1) return 0;  // "pages 3-5"
    at += n2;
    if (mb && !ma) {  // "3-4pm": the start shares the end's half of the day when it can
      const int hour_a = (a / 60) % 12 + (b >= 12 * 60 ? 12 : 0);
      if (hour_a * 60 + a % 60 <= b) a = hour_a * 60 + a % 60;
      ga = false;
    }
    if (b <= a && b + 12 * 60 > a && gb) b += 12 * 60;
    SetTime(a, ga && gb);
    if (!out_.when.end_time) out_.when.end_time = b;
    return at - i;
  }

  // "until 5pm", "till 17:00", "to 6pm" (only with an explicit time after "to").
  std::size_t TryEndTime(std::size_t i) {
    const bool to = Is(i, "to");
    if (!to && !Is(i, "until") && !Is(i, "till") && !Is(i, "til") && !Is(i, "bis")) return 0;
    int m = 0;
    bool g = false, mer = false;
    const std::size_t n = TimeCore(i + 1, !to, m, g, mer);
    if (!n || (to && !mer && At(i + 1)->kind != TokenKind::kClock && WordAt(i + 1).empty())) return 0;
    if (out_.when.end_time) {
      ++out_.when.conflicts;
    } else {
      out_.when.end_time = m;
    }
    return n + 1;
  }

  // A time suggested by a part of the day alone ("tonight"), refined by a later hour.
  void SoftTime(int minutes, bool pm) {
    if (out_.when.time || out_.when.from_now) return;
    out_.when.time = minutes;
    out_.when.time_guessed = true;
    soft_time_ = true;
    soft_pm_ = pm;
  }

  std::size_t TryPartOfDay(std::size_t i) {
    int hour = 0;
    bool pm = false, tonight = false;
    const std::size_t n = PartOfDay(i, hour, pm, tonight);
    if (!n) return 0;
    if (tonight) SetDate(today_);
    if (out_.when.time) {
      int minutes = *out_.when.time;
      bool guessed = out_.when.time_guessed;
      ApplyPartOfDay(minutes, guessed, pm);
      out_.when.time = minutes;
      out_.when.time_guessed = guessed;
    } else {
      SoftTime(hour * 60, pm);
    }
    return n;
  }

  // An explicit calendar date read at some position: how many tokens it spans, and the
  // day or why there is none ("no such date: February 30").
  struct Explicit {
    std::size_t n = 0;
    std::optional<Ymd> date;
    std::string error;
  };

  // The day of `month`/`day` from today on, or in `year` when given (> 0).
  void MonthDay(int year, int month, int day, Explicit& e) const {
    const auto impossible = [&] {
      e.error = "no such date: " + std::string(MonthName(month)) + " " + std::to_string(day);
    };
    if (year > 0) {
      const Ymd d{chr::year(year), chr::month(static_cast<unsigned>(month)), chr::day(static_cast<unsigned>(day))};
      if (!d.ok()) return impossible();
      e.date = d;
      return;
    }
    if (day < 1 || day > 31 || static_cast<unsigned>(day) > MonthLength(2024, static_cast<unsigned>(month))) {
      return impossible();
    }
    for (int y = int(today_.year()); y < int(today_.year()) + 9; ++y) {
      const Ymd d{chr::year(y), chr::month(static_cast<unsigned>(month)), chr::day(static_cast<unsigned>(day))};
      if (d.ok() && chr::sys_days(d) >= chr::sys_days(today_)) {
        e.date = d;
        return;
      }
    }
  }

  // ISO "2026-03-05"; numeric "12/20" (month/day, or day/month when the first number
  // cannot be a month), "25.12." (day.month); "March 5[th][, 2027]", "March the 5th";
  // "5 March", "the 5th of March 2027", German "20. Dezember".
  Explicit ReadExplicit(std::size_t i) const {
    Explicit e;
    const Token* t = At(i);
    if (!t) return e;
    if (t->kind == TokenKind::kIsoDate || t->kind == TokenKind::kNumericDate) {
      e.n = 1;
      int month = t->month, day = t->day;
      if (t->kind == TokenKind::kNumericDate) {
        month = t->first;
        day = t->second;
        if (t->separator == '.' || (month > 12 && day <= 12)) std::swap(month, day);
      }
      if (month < 1 || month > 12) {
        e.error = "no such date: " + t->text;
        return e;
      }
      MonthDay(t->year, month, day, e);
      return e;
    }
    const std::string w = WordAt(i);
    if (const int month = MonthWord(w)) {
      std::size_t k = i + 1;
      if (Is(k, "the")) ++k;
      const int day = DayNumber(At(k));
      if (!day) return e;
      if (w == "may" || w == "mar") {  // common words: need a day number
        if (!At(k) || (At(k)->kind != TokenKind::kNumber && At(k)->kind != TokenKind::kOrdinal)) return e;
      }
      ++k;
      if (Is(k, ".")) ++k;  // "Dezember 20."
      return WithYear(i, k, month, day, e);
    }
    std::size_t k = i;
    if (Is(k, "the")) ++k;
    const Token* d = At(k);
    const int day = DayNumber(d);
    if (!day) return e;
    ++k;
    if (d->kind == TokenKind::kNumber && Is(k, ".") && MonthWord(WordAt(k + 1))) ++k;  // "20. Dezember"
    if (Is(k, "of") && MonthWord(WordAt(k + 1))) ++k;
    const int month = MonthWord(WordAt(k));
    if (!month) return e;
    ++k;
    return WithYear(i, k, month, day, e);
  }

  // The end of a worded date that began at token i and has read its day and month up to
  // k: an optional "[,] 2027", then the date itself.
  Explicit WithYear(std::size_t i, std::size_t k, int month, int day, Explicit e) const {
    if (Is(k, ",") && YearNumber(At(k + 1))) ++k;
    const int year = YearNumber(At(k));
    if (year) ++k;
    MonthDay(year, month, day, e);
    e.n = k - i;
    return e;
  }

  // An explicit date right after a weekday ("Sunday 20th December", "Friday, March 5",
  // "Sonntag, den 20.12."): the date is the day, and a weekday it does not fall on is
  // an error, not a guess. Returns the tokens used after the weekday (0: no date there).
  std::size_t WeekdayWithDate(std::size_t after, int weekday) {
    std::size_t k = after;
    if (Is(k, ",")) ++k;
    if (Is(k, "den")) ++k;
    const Explicit e = ReadExplicit(k);
    if (!e.n) return 0;
    if (!e.error.empty()) {
      SetError(e.error);
    } else if (SundayIndex(*e.date) != weekday) {
      static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                              "Thursday", "Friday", "Saturday"};
      SetError(FormatDate(*e.date) + " is a " + kDays[SundayIndex(*e.date)] + ", not a " + kDays[weekday]);
    } else {
      SetDate(*e.date);
    }
    return k + e.n - after;
  }

  // A day of the month from a number or ordinal token.
  static int DayNumber(const Token* t) {
    if (!t || !t->integer || (t->kind != TokenKind::kNumber && t->kind != TokenKind::kOrdinal)) return 0;
    return t->number >= 1 && t->number <= 31 ? static_cast<int>(t->number) : 0;
  }
  static int YearNumber(const Token* t) {
    if (!t || t->kind != TokenKind::kNumber || !t->integer || t->text.size() != 4) return 0;
    return t->number >= 1970 && t->number <= 2200 ? static_cast<int>(t->number) : 0;
  }

  std::size_t TryDate(std::size_t i) {
    std::size_t at = i;
    if (Is(at, "on") || Is(at, "for") || Is(at, "by") || Is(at, "due") || Is(at, "am") || Is(at, "für")) ++at;
    const std::size_t n = DateCore(at);
    if (!n) return 0;
    return at + n - i;
  }

  std::size_t DateCore(std::size_t i) {
    const Token* t = At(i);
    if (!t) return 0;
    if (const Explicit e = ReadExplicit(i); e.n) {
      if (!e.error.empty()) {
        SetError(e.error);
      } else {
        SetDate(*e.date);
      }
      return e.n;
    }
    const std::string w = WordAt(i);
    if (w == "heute" && Is(i + 1, "morgen")) {  // German "this morning"
      SetDate(today_);
      SoftTime(9 * 60, false);
      return 2;
    }
    if (w == "today" || w == "heute") {
      SetDate(today_);
      return 1;
    }
    if (w == "tomorrow" || w == "tmrw" || w == "tomorow" || w == "tmr" || w == "morgen") {
      SetDate(AddDays(today_, 1));
      return 1;
    }
    if (w == "yesterday" || w == "gestern") {
      SetDate(AddDays(today_, -1));
      return 1;
    }
    if (w == "overmorrow" || w == "übermorgen" || w == "uebermorgen") {
      SetDate(AddDays(today_, 2));
      return 1;
    }
    {
      std::size_t at = i;
      if (Is(at, "the")) ++at;
      if (Is(at, "day") && Is(at + 1, "after") && Is(at + 2, "tomorrow")) {
        SetDate(AddDays(today_, 2));
        return at + 3 - i;
      }
    }
    // this/next/coming + weekday | week | weekend | month | year; "next 3 days".
    const bool next = w == "next" || w == "nächste" || w == "nächsten" || w == "nächster" || w == "nächstes" ||
                      w == "naechste" || w == "naechsten";
    const bool this_ = w == "this" || w == "coming" || w == "upcoming" || w == "diese" || w == "dieser" ||
                       w == "diesen" || w == "diesem" || w == "dieses" || w == "kommenden" || w == "kommende";
    if (next || this_) {
      std::string w2 = WordAt(i + 1);
      if (w2 == "woche") w2 = "week";
      if (w2 == "wochenende") w2 = "weekend";
      if (w2 == "monat") w2 = "month";
      const int wd = WeekdayWord(w2);
      if (wd >= 0) {
        if (const std::size_t n = WeekdayWithDate(i + 2, wd)) return 2 + n;
        if (next) {
          const Ymd monday = AddDays(today_, 7 - IsoIndex(today_));
          SetDate(AddDays(monday, (wd + 6) % 7));
        } else {
          SetDate(AddDays(today_, (wd - SundayIndex(today_) + 7) % 7));
        }
        return 2;
      }
      if (w2 == "week") {
        if (next) {
          SetDate(AddDays(today_, 7 - IsoIndex(today_)));
          out_.when.range_days = 7;
        } else {
          SetDate(today_);
          out_.when.range_days = 7 - IsoIndex(today_);
        }
        return 2;
      }
      if (w2 == "weekend") {
        Weekend(next);
        return 2;
      }
      if (w2 == "month") {
        const Ymd first{today_.year(), today_.month(), chr::day(1)};
        const Ymd start = next ? AddMonths(first, 1) : today_;
        SetDate(start);
        out_.when.range_days =
            static_cast<int>(MonthLength(int(start.year()), unsigned(start.month())) - unsigned(start.day()) + 1);
        return 2;
      }
      if (next) {
        double q = 0;
        const std::size_t qn = Quantity(i + 1, q, false);
        const Unit unit = qn ? UnitWord(WordAt(i + 1 + qn)) : Unit::kNone;
        if ((unit == Unit::kDay || unit == Unit::kWeek) && q == std::floor(q) && q <= 366) {
          SetDate(today_);
          out_.when.range_days = static_cast<int>(q) * (unit == Unit::kWeek ? 7 : 1);
          return 2 + qn;
        }
      }
    }
    if (w == "the" && Is(i + 1, "next")) {
      const std::size_t n = DateCore(i + 1);
      return n ? n + 1 : 0;
    }
    if (w == "weekend" || w == "wochenende" || (w == "the" && Is(i + 1, "weekend"))) {
      Weekend(false);
      return w == "the" ? 2 : 1;
    }
    const int wd = WeekdayWord(w);
    if (wd >= 0) {
      if (const std::size_t n = WeekdayWithDate(i + 1, wd)) return 1 + n;
      int ahead = (wd - SundayIndex(today_) + 7) % 7;
      if (ahead == 0) ahead = 7;
      SetDate(AddDays(today_, ahead));
      return 1;
    }
    // (at|by)? the? end of the? week|month|year|day
    {
      std::size_t at = i;
      if (Is(at, "at") || Is(at, "by")) ++at;
      if (Is(at, "the")) ++at;
      if (Is(at, "end") && Is(at + 1, "of")) {
        std::size_t k = at + 2;
        if (Is(k, "the") || Is(k, "this")) ++k;
        const std::string what = WordAt(k);
        if (what == "week") {
          SetDate(AddDays(today_, (5 - SundayIndex(today_) + 7) % 7));
        } else if (what == "month") {
          SetDate(
              Ymd{today_.year(), today_.month(), chr::day(MonthLength(int(today_.year()), unsigned(today_.month())))});
        } else if (what == "year") {
          SetDate(Ymd{today_.year(), chr::December, chr::day(31)});
        } else if (what == "day") {
          SetDate(today_);
          if (!out_.when.time) {
            out_.when.time = 17 * 60;
            out_.when.time_guessed = true;
          }
        } else {
          return 0;
        }
        return k + 1 - i;
      }
    }
    // "the 3rd" alone: the next day with this number in a month that has it, from today on.
    {
      std::size_t k = i;
      if (Is(k, "the")) ++k;
      const Token* d = At(k);
      const int day = DayNumber(d);
      if (!day) return 0;
      ++k;
      if (d->kind != TokenKind::kOrdinal) return 0;  // "the 3rd" alone needs an ordinal
      Ymd m{today_.year(), today_.month(), chr::day(1)};
      for (int tries = 0; tries < 13; ++tries, m = AddMonths(m, 1)) {
        if (static_cast<unsigned>(day) > MonthLength(int(m.year()), unsigned(m.month()))) continue;
        const Ymd c{m.year(), m.month(), chr::day(static_cast<unsigned>(day))};
        if (chr::sys_days(c) >= chr::sys_days(today_)) {
          SetDate(c);
          break;
        }
      }
      return k - i;
    }
  }

  void Weekend(bool next) {
    const int idx = IsoIndex(today_);  // Saturday 5, Sunday 6
    Ymd sat = AddDays(today_, 5 - idx);
    if (next) sat = AddDays(sat, 7);
    if (!next && idx == 6) {
      SetDate(today_);
      out_.when.range_days = 1;
      return;
    }
    SetDate(sat);
    out_.when.range_days = 2;
  }

  const std::vector<Token>& t_;
  Ymd today_;
  bool soft_time_ = false;  // the time came from a part of the day alone ("tonight")
  bool soft_pm_ = false;
  WhenScan out_;
};

}  // namespace

WhenScan ScanWhen(const std::vector<Token>& tokens, std::chrono::year_month_day today) {
  return Scanner(tokens, today).Run();
}

}  // namespace atrium::core::commands
