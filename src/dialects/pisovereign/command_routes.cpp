// POST /v1/commands/parse (free text to a typed command, nothing executed) and
// POST /v1/commands (run briefing, weather, calendar, emails or help).

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <vector>

#include "core/clock.hpp"
#include "core/commands/command_service.hpp"
#include "core/identity/identity_service.hpp"
#include "dialects/pisovereign/command_json.hpp"
#include "dialects/pisovereign/pisovereign.hpp"
#include "http/json_body.hpp"

namespace atrium::dialects::pisovereign {

namespace {

namespace json = boost::json;
using core::commands::CommandType;

// The zone a request speaks in: its "timezone" field, else the user's profile zone.
http::Result<core::time::TimeZone> ZoneOf(const Deps& services, const json::object& body,
                                          const core::identity::Principal& who) {
  std::string name = "UTC";
  if (const auto* tz = body.if_contains("timezone"); tz && !tz->is_null()) {
    if (!tz->is_string()) return FieldError("timezone", "must be a string");
    name = std::string(tz->as_string());
  } else if (auto user = services.identity.GetUser(who.user_id)) {
    name = user->timezone;
  }
  auto zone = services.commands.Zone(name);
  if (!zone) {
    if (body.contains("timezone")) return FieldError("timezone", "unknown time zone");
    return core::time::TimeZone::Utc();  // a profile with a zone this host does not know
  }
  return std::move(*zone);
}

std::string Now(const Deps& services) { return core::FormatRfc3339(services.clock.Now()); }

json::object Completed(std::string_view type, json::value result, const Deps& services,
                       std::string_view status = "completed") {
  return {{"command", type}, {"status", status}, {"result", std::move(result)}, {"executed_at", Now(services)}};
}

json::array HelpList() {
  return {
      json::object{{"command", "briefing"}, {"description", "Morning briefing"}, {"arguments", json::object{}}},
      json::object{{"command", "weather"},
                   {"description", "Current weather"},
                   {"arguments", {{"location", "optional place name"}, {"date", "optional YYYY-MM-DD"}}}},
      json::object{{"command", "calendar"},
                   {"description", "Today's events"},
                   {"arguments", {{"days", "default 1"}, {"date", "optional YYYY-MM-DD"}}}},
      json::object{{"command", "emails"}, {"description", "Email summary"}, {"arguments", {{"count", "default 10"}}}},
      json::object{{"command", "help"}, {"description", "List commands"}, {"arguments", json::object{}}},
  };
}

// One of the briefing's sections: its value, or null and an entry in "errors".
template <class T, class F>
json::value Section(const core::Result<T>& r, std::string_view name, json::object& errors, F&& render) {
  if (!r) {
    errors[name] = r.error().safe_message();
    return nullptr;
  }
  return render(*r);
}

http::Reply RunCommand(const Deps& services, const core::commands::Command& command,
                       const core::identity::Principal& who, const core::time::TimeZone& zone) {
  auto& commands = services.commands;
  switch (command.type) {
    case CommandType::kHelp:
      return http::JsonReply(200, Completed("Help", json::object{{"commands", HelpList()}}, services));
    case CommandType::kGetWeather: {
      auto report = commands.Weather(command.location, command.date);
      if (!report) return SourceError(report.error(), "location");
      return http::JsonReply(200, Completed("GetWeather", WeatherJson(*report), services));
    }
    case CommandType::kListCalendarEvents: {
      const auto from = command.date ? *command.date : commands.Today(zone);
      auto events = commands.Calendar(who.user_id, from, command.days, zone);
      if (!events) return SourceError(events.error(), "calendar");
      json::array list;
      for (const auto& e : *events) list.push_back(EventJson(e, zone));
      return http::JsonReply(200, Completed("ListCalendarEvents",
                                            json::object{{"date", core::commands::FormatDate(from)},
                                                         {"days", command.days},
                                                         {"timezone", zone.name()},
                                                         {"events", std::move(list)}},
                                            services));
    }
    case CommandType::kSummarizeInbox: {
      auto inbox = commands.Emails(command.count);
      if (!inbox) return SourceError(inbox.error(), "count");
      return http::JsonReply(200, Completed("SummarizeInbox", InboxJson(*inbox), services));
    }
    case CommandType::kMorningBriefing: {
      const auto today = command.date ? *command.date : commands.Today(zone);
      json::object errors;
      json::object result;
      result["weather"] = Section(commands.Weather("", std::nullopt), "weather", errors,
                                  [](const auto& w) { return json::value(core::weather::WeatherSummary(w)); });
      result["calendar"] =
          Section(commands.Calendar(who.user_id, today, 1, zone), "calendar", errors, [&](const auto& events) {
            json::array list;
            for (const auto& e : events) {
              auto o = EventJson(e, zone);
              list.push_back(json::object{{"time", o["time"]}, {"title", o["title"]}});
            }
            return json::value(std::move(list));
          });
      result["emails"] = Section(commands.Emails(0), "emails", errors, [](const auto& inbox) {
        return json::value(json::object{{"unread", inbox.unread}, {"important", inbox.important}});
      });
      const std::size_t failed = errors.size();
      if (failed > 0) result["errors"] = std::move(errors);
      const std::string_view status = failed == 0 ? "completed" : (failed == 3 ? "failed" : "partial");
      return http::JsonReply(200, Completed("MorningBriefing", std::move(result), services, status));
    }
    case CommandType::kCreateCalendarEvent:
    case CommandType::kCreateReminder:
      // State changes wait for the user's approval; nothing is run here.
      return http::JsonReply(200, Completed(core::commands::CommandTypeName(command.type), CommandJson(command, zone),
                                            services, "requires_approval"));
  }
  return http::MakeError(http::ErrorKind::kInternal, "unknown command type");
}

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  const auto num = [&](std::size_t a, std::size_t n) {
    int v = 0;
    for (std::size_t i = a; i < a + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  const std::chrono::year_month_day d{std::chrono::year(num(0, 4)),
                                      std::chrono::month(static_cast<unsigned>(num(5, 2))),
                                      std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  if (!d.ok()) return std::nullopt;
  return d;
}

// An integer argument in [lo, hi], or the default when absent.
http::Result<int> IntArg(const json::object& args, const char* name, int fallback, int lo, int hi) {
  const auto* v = args.if_contains(name);
  if (!v || v->is_null()) return fallback;
  const std::string field = std::string("args.") + name;
  if (!v->is_int64() && !v->is_uint64()) return FieldError(field, "must be an integer");
  const auto n =
      v->is_int64() ? v->as_int64() : static_cast<std::int64_t>(std::min<std::uint64_t>(v->as_uint64(), 1u << 30));
  if (n < lo || n > hi) {
    return FieldError(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  return static_cast<int>(n);
}

http::Reply Execute(const Deps& services, http::Request& req, const core::identity::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  const auto* name_value = body.if_contains("command");
  if (!name_value || name_value->is_null()) return FieldError("command", "is required");
  if (!name_value->is_string()) return FieldError("command", "must be a string");
  const std::string name(name_value->as_string());
  if (name.empty()) return FieldError("command", "cannot be empty");
  json::object args;
  if (const auto* a = body.if_contains("args"); a && !a->is_null()) {
    if (!a->is_object()) return FieldError("args", "must be an object");
    args = a->as_object();
  }
  auto zone_or = ZoneOf(services, body, who);
  if (!zone_or) return std::move(zone_or).error();
  const auto& zone = *zone_or;

  static const std::map<std::string, std::vector<std::string>> kArgs = {{"briefing", {}},
                                                                        {"weather", {"location", "date"}},
                                                                        {"calendar", {"days", "date"}},
                                                                        {"emails", {"count"}},
                                                                        {"help", {}}};
  core::commands::Command command;
  if (const auto known = kArgs.find(name); known != kArgs.end()) {
    for (const auto& [key, value] : args) {
      (void)value;
      if (std::find(known->second.begin(), known->second.end(), std::string(key)) == known->second.end()) {
        return FieldError("args." + std::string(key), "is not an argument of " + name);
      }
    }
    if (const auto* d = args.if_contains("date"); d && !d->is_null()) {
      const auto date = d->is_string() ? ParseIsoDate(d->as_string()) : std::nullopt;
      if (!date) return FieldError("args.date", "must be a date as YYYY-MM-DD");
      command.date = date;
    }
    if (name == "briefing") {
      command.type = CommandType::kMorningBriefing;
    } else if (name == "weather") {
      command.type = CommandType::kGetWeather;
      if (const auto* l = args.if_contains("location"); l && !l->is_null()) {
        if (!l->is_string()) return FieldError("args.location", "must be a string");
        if (l->as_string().size() > 200) return FieldError("args.location", "must be at most 200 characters");
        command.location = std::string(l->as_string());
      }
    } else if (name == "calendar") {
      command.type = CommandType::kListCalendarEvents;
      auto days = IntArg(args, "days", 1, 1, 31);
      if (!days) return std::move(days).error();
      command.days = *days;
    } else if (name == "emails") {
      command.type = CommandType::kSummarizeInbox;
      auto count = IntArg(args, "count", 10, 0, 50);
      if (!count) return std::move(count).error();
      command.count = *count;
    } else {
      command.type = CommandType::kHelp;
    }
    return RunCommand(services, command, who, zone);
  }
  // Not a command name: everyday English ("weather in Paris tomorrow").
  if (name.size() > core::commands::kMaxCommandInput) return FieldError("command", "must be at most 1000 characters");
  const auto result = services.commands.Parse(name, zone);
  if (!result.parsed) return FieldError("command", "unknown command: " + result.reason);
  return RunCommand(services, result.command, who, zone);
}

http::Reply Parse(const Deps& services, http::Request& req, const core::identity::Principal& who) {
  auto parsed = http::ParseJsonObject(req);
  if (!parsed) return std::move(parsed).error();
  const auto& body = *parsed;
  const auto* input = body.if_contains("input");
  if (!input || input->is_null()) return FieldError("input", "is required");
  if (!input->is_string()) return FieldError("input", "must be a string");
  const std::string_view text = input->as_string();
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return FieldError("input", "cannot be empty");
  if (text.size() > core::commands::kMaxCommandInput) return FieldError("input", "must be at most 1000 characters");
  auto zone_or = ZoneOf(services, body, who);
  if (!zone_or) return std::move(zone_or).error();
  const auto& zone = *zone_or;
  return http::JsonReply(200, ParseResultJson(services.commands.Parse(text, zone), zone));
}

}  // namespace

void AddCommandRoutes(http::Site& site, const Deps& services) {
  site.Add(http::Method::kPost, "/v1/commands/parse",
           Protected(services, [&services](http::Request& req,
                                           const core::identity::Principal& who) { return Parse(services, req, who); }),
           {.doc = {.summary = "Parse a command without executing it",
                    .tag = "Commands",
                    .request_schema = "ParseRequest",
                    .response_schema = "ParseResponse",
                    .secured = true}});
  site.Add(
      http::Method::kPost, "/v1/commands",
      Protected(services, [&services](http::Request& req,
                                      const core::identity::Principal& who) { return Execute(services, req, who); }),
      {.doc = {.summary = "Execute a command and get the result",
               .tag = "Commands",
               .request_schema = "CommandRequest",
               .response_schema = "CommandResponse",
               .secured = true}});
}

}  // namespace atrium::dialects::pisovereign
