#pragma once
// pisovereign's JSON for typed commands and command results.

#include <boost/json.hpp>

#include "core/calendar/calendar_store.hpp"
#include "core/commands/command_parser.hpp"
#include "core/mail/mailbox.hpp"
#include "core/weather/weather_source.hpp"
#include "http/api_error.hpp"

namespace atrium::dialects::pisovereign {

// {"type": "CreateCalendarEvent", "title", "start", "end", ...} with times in `zone`.
boost::json::object CommandJson(const core::commands::Command& command, const core::time::TimeZone& zone);
// The /v1/commands/parse body.
boost::json::object ParseResultJson(const core::commands::ParseResult& result, const core::time::TimeZone& zone);

boost::json::object WeatherJson(const core::weather::WeatherReport& report);
boost::json::object EventJson(const core::calendar::CalendarEvent& event, const core::time::TimeZone& zone);
boost::json::object InboxJson(const core::mail::InboxSummary& inbox);

// A data source's failure as the spec's error: not configured -> 503, unreachable or
// garbage -> 502, an unknown place -> 404, a missing default -> 422 on `field`.
http::ApiError SourceError(const core::Error& error, std::string_view field);
// 422 VALIDATION_ERROR with {"fields": [{"field", "error"}]}.
http::ApiError FieldError(std::string_view field, std::string_view error);

}  // namespace atrium::dialects::pisovereign
