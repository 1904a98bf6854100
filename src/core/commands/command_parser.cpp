#include "core/commands/command_parser.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <vector>

#include "core/commands/tokenizer.hpp"
#include "core/commands/when_grammar.hpp"

namespace atrium::core::commands {

namespace {

namespace chr = std::chrono;

// The words the when grammar did not take, with their token indices.
struct Residue {
  const std::vector<Token>& tokens;
  std::vector<std::size_t> idx;

  std::string Word(std::size_t k) const { return k < idx.size() ? tokens[idx[k]].text : std::string(); }
  bool Has(std::string_view w) const {
    return std::any_of(idx.begin(), idx.end(), [&](std::size_t i) { return tokens[i].text == w; });
  }
  std::optional<std::size_t> Find(std::string_view w, std::size_t from = 0) const {
    for (std::size_t k = from; k < idx.size(); ++k) {
      if (tokens[idx[k]].text == w) return k;
    }
    return std::nullopt;
  }
};

bool OneOf(const std::string& w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// Skips "please", "can you", "hey", "i'd like to" ... at residue position k.
std::size_t SkipPoliteness(const Residue& r, std::size_t k) {
  while (k < r.idx.size()) {
    const std::string w = r.Word(k);
    if (OneOf(w, {"please", "pls", "plz", "hey", "hi", "hello", "ok", "okay", "kindly", "quickly", "just", "atrium",
                  "bitte", "hallo", "mal"}) ||
        (r.tokens[r.idx[k]].kind == TokenKind::kPunct && w != "?")) {
      ++k;
    } else if ((OneOf(w, {"can", "could", "would", "will"}) && r.Word(k + 1) == "you") ||
               (OneOf(w, {"kannst", "könntest", "würdest"}) && r.Word(k + 1) == "du")) {
      k += 2;
    } else if ((w == "i" && OneOf(r.Word(k + 1), {"want", "need", "wanna"})) ||
               (w == "i'd" && r.Word(k + 1) == "like")) {
      k += 2;
      if (r.Word(k) == "to") ++k;
    } else {
      break;
    }
  }
  return k;
}

// The user's words for residue positions [from, to), joined by single spaces with their
// original spelling, trimmed of leading articles and dangling connectors.
std::string Phrase(std::string_view input, const Residue& r, std::size_t from, std::size_t to) {
  while (from < to) {
    const Token& t = r.tokens[r.idx[from]];
    if (t.kind == TokenKind::kPunct ||
        OneOf(t.text, {"a",     "an",  "the", "my",  "to",  "about", "that", "of",    "ein",    "eine",  "einen",
                       "einem", "den", "die", "das", "dem", "der",   "mein", "meine", "meinen", "daran", "zu"})) {
      ++from;
    } else {
      break;
    }
  }
  while (to > from) {
    const Token& t = r.tokens[r.idx[to - 1]];
    if (t.kind == TokenKind::kPunct ||
        OneOf(t.text, {"at", "on", "for", "from", "in",  "by",  "and", "the", "to", "starting", "until", "lasting",
                       "um", "am", "an",  "ein",  "für", "von", "bis", "im",  "ab", "zum",      "und"})) {
      --to;
    } else {
      break;
    }
  }
  std::string out;
  std::size_t prev_end = std::string_view::npos;
  for (std::size_t k = from; k < to; ++k) {
    const Token& t = r.tokens[r.idx[k]];
    if (!out.empty() && prev_end != t.begin) out += ' ';
    out += input.substr(t.begin, t.end - t.begin);
    prev_end = t.end;
  }
  return out;
}

// Removes "to my calendar" / "in the calendar" / "on my calendar" from the end of a title.
std::size_t DropCalendarSuffix(const Residue& r, std::size_t to, std::size_t from) {
  for (std::size_t k = from; k < to; ++k) {
    if (OneOf(r.Word(k), {"calendar", "agenda", "schedule"}) && k >= from + 1 &&
        (OneOf(r.Word(k - 1), {"my", "the"}) || OneOf(r.Word(k - 1), {"to", "in", "on", "into"}))) {
      std::size_t start = k - 1;
      if (OneOf(r.Word(start), {"my", "the"}) && start > from && OneOf(r.Word(start - 1), {"to", "in", "on", "into"}))
        --start;
      return start;
    }
  }
  return to;
}

double Clamp(double c) {
  c = std::max(0.3, std::min(0.99, c));
  return std::round(c * 100.0) / 100.0;
}

struct Context {
  std::string_view input;
  const std::vector<Token>& tokens;
  const WhenScan& scan;
  time::Seconds now;
  const time::TimeZone& zone;
  chr::year_month_day today;
  chr::local_seconds now_local;
};

ParseResult Fail(std::string reason) {
  ParseResult r;
  r.reason = std::move(reason);
  return r;
}

time::Seconds AtLocal(const Context& c, chr::year_month_day d, int minutes) {
  return c.zone.ToUtc(chr::local_days(chr::sys_days(d).time_since_epoch()) + chr::minutes(minutes));
}

// The instant of a when-phrase for something that happens once (an event start, a
// reminder). `default_minutes` is used when only a date was said (-1: none, all day).
struct Instant {
  time::Seconds at;
  chr::year_month_day date;
  bool has_time = false;
};

std::optional<Instant> ResolveStart(const Context& c, const When& w) {
  if (w.from_now) {
    const auto at = chr::floor<chr::minutes>(c.now + *w.from_now);
    const auto local = chr::floor<chr::days>(c.zone.ToLocal(at));
    return Instant{at, chr::year_month_day{chr::sys_days(local.time_since_epoch())}, true};
  }
  if (w.time) {
    chr::year_month_day d = w.date ? *w.date : c.today;
    auto at = AtLocal(c, d, *w.time);
    if (!w.date && at <= c.now) {  // "at 3pm" after 3pm means tomorrow
      d = chr::year_month_day{chr::sys_days(d) + chr::days(1)};
      at = AtLocal(c, d, *w.time);
    }
    return Instant{at, d, true};
  }
  if (w.date) return Instant{AtLocal(c, *w.date, 0), *w.date, false};
  return std::nullopt;
}

ParseResult CreateEvent(const Context& c, const Residue& r, std::size_t title_from, bool schedule_verb) {
  const When& w = c.scan.when;
  while (
      OneOf(r.Word(title_from), {"a", "an", "the", "new", "ein", "einen", "eine", "neuen", "neuer", "neue", "neues"})) {
    ++title_from;
  }
  if (OneOf(r.Word(title_from), {"event", "entry"}) && title_from + 1 < r.idx.size() &&
      r.tokens[r.idx[title_from + 1]].kind == TokenKind::kWord) {
    ++title_from;  // "add event coffee with Lea": the title is what follows
  }
  // German "Termin Zahnarzt": the title is what follows, but "Termin mit Anna" keeps it.
  if (OneOf(r.Word(title_from), {"termin", "eintrag"}) && title_from + 1 < r.idx.size() &&
      r.tokens[r.idx[title_from + 1]].kind == TokenKind::kWord &&
      !OneOf(r.Word(title_from + 1), {"mit", "bei", "beim", "für", "zum", "zur", "im", "in", "an", "ein"})) {
    ++title_from;
  }
  std::size_t to = DropCalendarSuffix(r, r.idx.size(), title_from);
  // "an event called Dentist": the name after "called" is the title.
  for (std::size_t k = title_from; k < to; ++k) {
    if (OneOf(r.Word(k), {"called", "named", "titled"})) {
      title_from = k + 1;
      break;
    }
  }
  std::string title = Phrase(c.input, r, title_from, to);
  double confidence = 0.95;
  if (title.empty()) {
    if (schedule_verb) return Fail("schedule without a title: ask for the calendar instead");
    title = "Event";
    confidence -= 0.1;
  }
  const auto start = ResolveStart(c, w);
  if (!start) return Fail("the event has no date or time");
  ParseResult out;
  out.parsed = true;
  out.requires_approval = true;
  Command& cmd = out.command;
  cmd.type = CommandType::kCreateCalendarEvent;
  cmd.title = std::move(title);
  cmd.start = start->at;
  if (!start->has_time) {
    cmd.all_day = true;
    const int days = w.range_days > 0 ? w.range_days : 1;
    cmd.end = AtLocal(c, chr::year_month_day{chr::sys_days(start->date) + chr::days(days)}, 0);
    confidence -= 0.05;
  } else if (w.end_time) {
    auto end = AtLocal(c, start->date, *w.end_time);
    if (end <= start->at) end = AtLocal(c, chr::year_month_day{chr::sys_days(start->date) + chr::days(1)}, *w.end_time);
    cmd.end = end;
  } else if (w.duration) {
    cmd.end = start->at + *w.duration;
  } else {
    cmd.end = start->at + chr::hours(1);
    confidence -= 0.03;
  }
  if (w.time_guessed) confidence -= 0.05;
  confidence -= 0.1 * w.conflicts;
  out.confidence = Clamp(confidence);
  return out;
}

ParseResult CreateReminder(const Context& c, const Residue& r, std::size_t text_from) {
  const When& w = c.scan.when;
  std::size_t to = r.idx.size();
  // "remind me at 5pm to buy milk": the text may follow the when-phrase; Phrase trims
  // the connectors.
  std::string text = Phrase(c.input, r, text_from, to);
  if (text.empty()) return Fail("nothing to be reminded about");
  double confidence = 0.95;
  When when = w;
  if (!when.time && !when.from_now && when.date) {
    when.time = 9 * 60;  // a day without a time: in the morning
    confidence -= 0.05;
  }
  const auto due = ResolveStart(c, when);
  if (!due) return Fail("the reminder has no date or time");
  ParseResult out;
  out.parsed = true;
  out.requires_approval = true;
  out.command.type = CommandType::kCreateReminder;
  out.command.title = std::move(text);
  out.command.start = due->at;
  if (w.time_guessed) confidence -= 0.05;
  confidence -= 0.1 * w.conflicts;
  out.confidence = Clamp(confidence);
  return out;
}

// The place after "in"/"for"/"at" (or before "weather"), in the user's spelling.
std::string WeatherPlace(const Context& c, const Residue& r, std::size_t from) {
  for (std::size_t k = from; k < r.idx.size(); ++k) {
    if (!OneOf(r.Word(k), {"in", "for", "at", "near", "around"})) continue;
    std::size_t end = k + 1;
    // Stop at punctuation, at words that end the place, or where the when-phrase began.
    while (end < r.idx.size()) {
      const Token& t = r.tokens[r.idx[end]];
      if (t.kind == TokenKind::kPunct && t.text != "-" && t.text != "." && t.text != "'") break;
      if (OneOf(t.text, {"right", "now", "currently", "please", "like", "going", "be", "look", "looking", "jetzt",
                         "gerade", "bitte", "aus", "sein"}))
        break;
      if (end > k + 1 && r.idx[end] != r.idx[end - 1] + 1) break;  // a gap: a when-phrase was there
      ++end;
    }
    std::string place = Phrase(c.input, r, k + 1, end);
    if (!place.empty()) return place;
  }
  // "Berlin weather", "what's the Paris forecast"
  auto kw = r.Find("weather") ? r.Find("weather") : r.Find("forecast");
  if (!kw) kw = r.Find("wetter");
  if (kw && *kw > from) {
    std::size_t begin = *kw;
    while (begin > from) {
      const Token& t = r.tokens[r.idx[begin - 1]];
      if (t.kind != TokenKind::kWord ||
          OneOf(t.text, {"what's", "whats", "what",  "is",   "the",    "how's",    "hows",    "how",
                         "show",   "me",    "get",   "tell", "give",   "current",  "today's", "tomorrow's",
                         "my",     "local", "check", "a",    "weekly", "daily",    "wie",     "ist",
                         "das",    "wird",  "zeig",  "mir",  "sag",    "aktuelle", "aktuell"}))
        break;
      --begin;
    }
    return Phrase(c.input, r, begin, *kw);
  }
  return {};
}

int CountIn(const Residue& r) {
  for (std::size_t k = 0; k < r.idx.size(); ++k) {
    const Token& t = r.tokens[r.idx[k]];
    if (t.kind == TokenKind::kNumber && t.integer && t.number >= 1 && t.number <= 100)
      return static_cast<int>(t.number);
    const int n = NumberWord(t.text);
    if (n >= 1 && n <= 100 && t.kind == TokenKind::kWord) return n;
  }
  return 0;
}

ParseResult Query(CommandType type, double confidence) {
  ParseResult out;
  out.parsed = true;
  out.command.type = type;
  out.confidence = Clamp(confidence);
  return out;
}

}  // namespace

ParseResult ParseCommand(std::string_view input, time::Seconds now, const time::TimeZone& zone) {
  if (input.size() > kMaxCommandInput) return Fail("input is longer than 1000 characters");
  const auto tokens = Tokenize(input);
  if (tokens.empty()) return Fail("input is empty");
  const auto now_local = zone.ToLocal(now);
  const chr::year_month_day today{chr::sys_days(chr::floor<chr::days>(now_local).time_since_epoch())};
  const WhenScan scan = ScanWhen(tokens, today);
  const Context c{input, tokens, scan, now, zone, today, now_local};
  if (!scan.when.error.empty()) return Fail(scan.when.error);

  Residue r{tokens, {}};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!scan.used[i]) r.idx.push_back(i);
  }
  const std::size_t first = SkipPoliteness(r, 0);
  const std::string verb = r.Word(first);
  const std::string verb2 = r.Word(first + 1);

  // Reminders: "remind me ...", "set/add/create a reminder ...", "reminder: ...".
  {
    std::size_t text_from = 0;
    bool reminder = false;
    if (verb == "remind" || OneOf(verb, {"erinnere", "erinner", "erinnre"})) {
      reminder = true;
      text_from = first + 1;
      if (OneOf(r.Word(text_from), {"me", "us", "mich", "uns"})) ++text_from;
      if (OneOf(r.Word(text_from), {"daran", "an"})) ++text_from;
    } else if (verb == "reminder" || verb == "erinnerung") {
      reminder = true;
      text_from = first + 1;
    } else if (OneOf(verb, {"set", "add", "create", "make", "new", "erstelle", "erstell", "setze", "neue"})) {
      std::size_t k = first + 1;
      if (OneOf(r.Word(k), {"a", "an", "me", "up", "eine", "mir"})) ++k;
      if (OneOf(r.Word(k), {"a", "an", "eine", "neue"})) ++k;
      if (OneOf(r.Word(k), {"reminder", "reminders", "erinnerung"})) {
        reminder = true;
        text_from = k + 1;
        if (OneOf(r.Word(text_from), {"for", "to", "about", "that", "für", "an"})) ++text_from;
      }
    }
    if (reminder) {
      if (OneOf(r.Word(text_from), {"to", "about", "that", "of"})) ++text_from;
      return CreateReminder(c, r, text_from);
    }
  }

  // Events: a creating verb first.
  if (OneOf(verb, {"create",   "schedule", "add",      "book",    "plan",       "arrange",  "put",   "setup",
                   "organize", "organise", "erstelle", "erstell", "erstellen",  "neuer",    "neuen", "neues",
                   "plane",    "trage",    "lege",     "buche",   "vereinbare", "eintragen"}) ||
      (verb == "set" && verb2 == "up") || (verb == "make" && OneOf(verb2, {"a", "an"}))) {
    const std::size_t from = first + ((verb == "set" || verb == "make") ? 2 : 1);
    if (verb == "schedule" && OneOf(r.Word(from), {"for", "today", "tomorrow"})) {
      // "schedule for tomorrow": someone asking for their schedule
    } else {
      const bool mail = r.Has("email") || r.Has("mail") || r.Has("e-mail");
      if (!mail) return CreateEvent(c, r, from, verb == "schedule");
    }
  }
  if (OneOf(verb, {"send", "write", "draft", "compose", "reply", "forward"}) &&
      (r.Has("email") || r.Has("mail") || r.Has("e-mail") || r.Has("message") || r.Has("to"))) {
    return Fail("sending or drafting email is not a supported command");
  }

  // Queries.
  const bool weather = r.Has("weather") || r.Has("forecast") || r.Has("temperature") || r.Has("rain") ||
                       r.Has("raining") || r.Has("snow") || r.Has("snowing") || r.Has("sunny") || r.Has("umbrella") ||
                       r.Has("degrees") || ((r.Has("hot") || r.Has("cold") || r.Has("warm")) && r.Has("how")) ||
                       r.Has("wetter") || r.Has("wettervorhersage") || r.Has("vorhersage") || r.Has("regnet") ||
                       r.Has("temperatur") || r.Has("grad");
  if (weather) {
    ParseResult out = Query(CommandType::kGetWeather, 0.95 - 0.1 * scan.when.conflicts);
    out.command.location = WeatherPlace(c, r, first);
    if (scan.when.date && *scan.when.date != today) out.command.date = scan.when.date;
    return out;
  }
  const bool greeting =
      tokens.size() <= 3 && tokens[0].text == "good" && tokens.size() >= 2 && tokens[1].text == "morning";
  const bool gruss =
      tokens.size() <= 3 && tokens[0].text == "guten" && tokens.size() >= 2 && tokens[1].text == "morgen";
  if (r.Has("briefing") || (r.Has("brief") && r.Has("me")) || greeting || gruss || r.Has("morgenbriefing") ||
      r.Has("tagesübersicht") ||
      (r.Has("my") && r.Has("day") && (r.Has("plan") || r.Has("look") || r.Has("looks") || r.Has("overview")))) {
    ParseResult out = Query(CommandType::kMorningBriefing, r.Has("briefing") || r.Has("brief") ? 0.95 : 0.75);
    // "Guten Morgen" reads "Morgen" as tomorrow; the greeting is about today.
    out.command.date = scan.when.date && !gruss ? *scan.when.date : today;
    return out;
  }
  const bool mail = r.Has("email") || r.Has("emails") || r.Has("mail") || r.Has("mails") || r.Has("inbox") ||
                    r.Has("e-mails") || r.Has("mailbox") || r.Has("posteingang") || r.Has("e-mail");
  if (mail) {
    ParseResult out = Query(CommandType::kSummarizeInbox, 0.9);
    if (const int n = CountIn(r)) out.command.count = n;
    out.command.unread_only = r.Has("unread") || r.Has("new") || r.Has("ungelesene") || r.Has("neue");
    out.command.important_only = r.Has("important") || r.Has("urgent") || r.Has("flagged") || r.Has("wichtige");
    return out;
  }
  // "what's on tomorrow", "what is planned for Friday": only question words besides a date.
  const bool day_question =
      scan.when.date && r.idx.size() > first &&
      std::all_of(r.idx.begin() + static_cast<std::ptrdiff_t>(first), r.idx.end(), [&](std::size_t i) {
        return tokens[i].kind == TokenKind::kPunct ||
               OneOf(tokens[i].text, {"what's", "whats", "what", "is", "on", "happening", "planned", "for", "my", "was",
                                      "steht", "an", "habe", "ich", "vor", "ist", "los"});
      });
  const bool calendar = day_question || r.Has("calendar") || r.Has("agenda") || r.Has("schedule") ||
                        r.Has("appointments") || r.Has("events") || r.Has("meetings") || r.Has("busy") ||
                        r.Has("free") || (r.Has("what") && r.Has("have") && (r.Has("i") || r.Has("do"))) ||
                        r.Has("kalender") || r.Has("termine") || r.Has("tagesplan") ||
                        ((verb == "what's" || verb == "whats") && r.Word(first + 1) == "on" && scan.when.date) ||
                        (verb == "what" && r.Word(first + 1) == "is" && r.Word(first + 2) == "on" && scan.when.date);
  if (calendar) {
    ParseResult out = Query(CommandType::kListCalendarEvents, 0.9 - 0.1 * scan.when.conflicts);
    out.command.date = scan.when.date ? *scan.when.date : today;
    out.command.days = scan.when.range_days > 0 ? scan.when.range_days : 1;
    return out;
  }
  if (OneOf(verb, {"help", "commands", "?", "hilfe", "befehle"}) || r.Has("help") || r.Has("hilfe") ||
      (r.Has("what") && r.Has("can") && r.Has("you") && r.Has("do")) || (r.Has("commands") && r.idx.size() <= 4)) {
    return Query(CommandType::kHelp, 0.95);
  }
  return Fail("no known command in the input");
}

}  // namespace atrium::core::commands
