// The command grammar, phrase by phrase: each row is an input said at a fixed instant in
// a fixed zone, and the exact command it must give (type, confidence, title, place,
// start/end with the zone's offset, day and counts). The anchors sit next to month
// ends, the year end and daylight-saving changes in both hemispheres.

#include <gtest/gtest.h>

#include <sstream>

#include "core/commands/command_parser.hpp"

namespace atrium::core::commands {
namespace {

struct Anchor {
  const char* zone;
  std::int64_t now;  // UTC seconds
};

// Saturday 2026-02-07 11:30 in Berlin.
constexpr Anchor kBerlinFeb{"Europe/Berlin", 1770460200};
// Saturday 2026-03-28 12:00 in Berlin; clocks go 02:00 -> 03:00 the next night.
constexpr Anchor kBerlinSpring{"Europe/Berlin", 1774695600};
// Saturday 2026-10-24 12:00 in Berlin; clocks go 03:00 -> 02:00 the next night.
constexpr Anchor kBerlinAutumn{"Europe/Berlin", 1792836000};
// Thursday 2026-12-31 15:00 in New York.
constexpr Anchor kNewYorkNewYearsEve{"America/New_York", 1798747200};
// Sunday 2027-01-31 09:00 in London.
constexpr Anchor kLondonJan31{"Europe/London", 1801386000};
// Saturday 2026-03-07 10:00 in New York; clocks go 02:00 -> 03:00 the next night.
constexpr Anchor kNewYorkSpring{"America/New_York", 1772895600};
// Monday 2026-02-09 08:00 UTC.
constexpr Anchor kUtcMonday{"UTC", 1770624000};
// Saturday 2026-04-04 10:00 in Sydney; clocks go 03:00 -> 02:00 the next night.
constexpr Anchor kSydneyAutumn{"Australia/Sydney", 1775257200};

struct Case {
  Anchor anchor;
  const char* input;
  const char* expected;
};

std::string Describe(const ParseResult& r, const time::TimeZone& zone) {
  std::ostringstream out;
  if (!r.parsed) {
    out << "FAIL " << r.reason;
    return out.str();
  }
  const Command& c = r.command;
  out << CommandTypeName(c.type) << " conf=" << r.confidence;
  if (!c.title.empty()) out << " title=[" << c.title << "]";
  if (!c.location.empty()) out << " loc=[" << c.location << "]";
  if (c.start) out << " start=" << time::FormatIsoLocal(*c.start, zone);
  if (c.end) out << " end=" << time::FormatIsoLocal(*c.end, zone);
  if (c.all_day) out << " allday";
  if (c.date) out << " date=" << FormatDate(*c.date);
  if (c.type == CommandType::kListCalendarEvents) out << " days=" << c.days;
  if (c.type == CommandType::kSummarizeInbox) out << " count=" << c.count;
  return out.str();
}

const Case kCases[] = {
    {kBerlinFeb, "create meeting tomorrow at 3pm",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-02-08T15:00:00+01:00 end=2026-02-08T16:00:00+01:00"},
    {kBerlinFeb, "Create Meeting tomorrow at 3 PM",
     "CreateCalendarEvent conf=0.92 title=[Meeting] start=2026-02-08T15:00:00+01:00 end=2026-02-08T16:00:00+01:00"},
    {kBerlinFeb, "create meeting tomorrow at 15:00",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-02-08T15:00:00+01:00 end=2026-02-08T16:00:00+01:00"},
    {kBerlinFeb, "schedule a call with Bob next Friday at 10 for 30 minutes",
     "CreateCalendarEvent conf=0.9 title=[call with Bob] start=2026-02-13T10:00:00+01:00 "
     "end=2026-02-13T10:30:00+01:00"},
    {kBerlinFeb, "add dentist appointment on March 5 at 9am to my calendar",
     "CreateCalendarEvent conf=0.92 title=[dentist appointment] start=2026-03-05T09:00:00+01:00 "
     "end=2026-03-05T10:00:00+01:00"},
    {kBerlinFeb, "create lunch with Sam at noon",
     "CreateCalendarEvent conf=0.92 title=[lunch with Sam] start=2026-02-07T12:00:00+01:00 "
     "end=2026-02-07T13:00:00+01:00"},
    {kBerlinFeb, "book a 30 minute call with the bank on the 3rd at 2pm",
     "CreateCalendarEvent conf=0.95 title=[call with the bank] start=2026-03-03T14:00:00+01:00 "
     "end=2026-03-03T14:30:00+01:00"},
    {kBerlinFeb, "plan team offsite in 2 weeks",
     "CreateCalendarEvent conf=0.9 title=[team offsite] start=2026-02-21T00:00:00+01:00 end=2026-02-22T00:00:00+01:00 "
     "allday"},
    {kBerlinFeb, "create event called Dentist on 2026-03-10 from 9 to 10:30",
     "CreateCalendarEvent conf=0.95 title=[Dentist] start=2026-03-10T09:00:00+01:00 end=2026-03-10T10:30:00+01:00"},
    {kBerlinFeb, "set up a meeting with Anna on Monday from 3 to 4pm",
     "CreateCalendarEvent conf=0.95 title=[meeting with Anna] start=2026-02-09T15:00:00+01:00 "
     "end=2026-02-09T16:00:00+01:00"},
    {kBerlinFeb, "create party on the 31st at 8pm",
     "CreateCalendarEvent conf=0.92 title=[party] start=2026-03-31T20:00:00+02:00 end=2026-03-31T21:00:00+02:00"},
    {kBerlinFeb, "book dinner tonight at 7",
     "CreateCalendarEvent conf=0.92 title=[dinner] start=2026-02-07T19:00:00+01:00 end=2026-02-07T20:00:00+01:00"},
    {kBerlinFeb, "create meeting at 9 tomorrow morning",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-02-08T09:00:00+01:00 end=2026-02-08T10:00:00+01:00"},
    {kBerlinFeb, "create workshop on 5 March 2027 at 14:00 for 3 hours",
     "CreateCalendarEvent conf=0.95 title=[workshop] start=2027-03-05T14:00:00+01:00 end=2027-03-05T17:00:00+01:00"},
    {kBerlinFeb, "schedule review on Friday at 4:30pm for an hour and 30 minutes",
     "CreateCalendarEvent conf=0.95 title=[review] start=2026-02-13T16:30:00+01:00 end=2026-02-13T18:00:00+01:00"},
    {kBerlinFeb, "create sync at 10am",
     "CreateCalendarEvent conf=0.92 title=[sync] start=2026-02-08T10:00:00+01:00 end=2026-02-08T11:00:00+01:00"},
    {kBerlinFeb, "create sync at 11am",
     "CreateCalendarEvent conf=0.92 title=[sync] start=2026-02-08T11:00:00+01:00 end=2026-02-08T12:00:00+01:00"},
    {kBerlinFeb, "please create a meeting with the design team on Wednesday at 11 until 12:30",
     "CreateCalendarEvent conf=0.95 title=[meeting with the design team] start=2026-02-11T11:00:00+01:00 "
     "end=2026-02-11T12:30:00+01:00"},
    {kBerlinFeb, "can you book a table for dinner on Feb 14 at 7:30pm",
     "CreateCalendarEvent conf=0.92 title=[table for dinner] start=2026-02-14T19:30:00+01:00 "
     "end=2026-02-14T20:30:00+01:00"},
    {kBerlinFeb, "create call in 2 hours",
     "CreateCalendarEvent conf=0.92 title=[call] start=2026-02-07T13:30:00+01:00 end=2026-02-07T14:30:00+01:00"},
    {kBerlinFeb, "create retro this friday at 3",
     "CreateCalendarEvent conf=0.87 title=[retro] start=2026-02-13T15:00:00+01:00 end=2026-02-13T16:00:00+01:00"},
    {kBerlinFeb, "create retro next saturday at 10am",
     "CreateCalendarEvent conf=0.92 title=[retro] start=2026-02-14T10:00:00+01:00 end=2026-02-14T11:00:00+01:00"},
    {kBerlinFeb, "add event coffee with Lea the day after tomorrow at half past 9",
     "CreateCalendarEvent conf=0.87 title=[coffee with Lea] start=2026-02-09T09:30:00+01:00 "
     "end=2026-02-09T10:30:00+01:00"},
    {kBerlinFeb, "create standup tomorrow at quarter to 10",
     "CreateCalendarEvent conf=0.87 title=[standup] start=2026-02-08T09:45:00+01:00 end=2026-02-08T10:45:00+01:00"},
    {kBerlinFeb, "add holiday on the 14th of February",
     "CreateCalendarEvent conf=0.9 title=[holiday] start=2026-02-14T00:00:00+01:00 end=2026-02-15T00:00:00+01:00 "
     "allday"},
    {kBerlinFeb, "schedule 1:1 with Maria tomorrow from 2pm-3pm",
     "CreateCalendarEvent conf=0.95 title=[1:1 with Maria] start=2026-02-08T14:00:00+01:00 "
     "end=2026-02-08T15:00:00+01:00"},
    {kBerlinFeb, "create meeting for 45 min tomorrow at 9:30",
     "CreateCalendarEvent conf=0.95 title=[meeting] start=2026-02-08T09:30:00+01:00 end=2026-02-08T10:15:00+01:00"},
    {kBerlinFeb, "book gym session this evening",
     "CreateCalendarEvent conf=0.87 title=[gym session] start=2026-02-07T19:00:00+01:00 end=2026-02-07T20:00:00+01:00"},
    {kBerlinFeb, "create review at midnight",
     "CreateCalendarEvent conf=0.92 title=[review] start=2026-02-08T00:00:00+01:00 end=2026-02-08T01:00:00+01:00"},
    {kBerlinFeb, "put lunch on my calendar for Tuesday at 12:30",
     "CreateCalendarEvent conf=0.92 title=[lunch] start=2026-02-10T12:30:00+01:00 end=2026-02-10T13:30:00+01:00"},
    {kBerlinFeb, "create meeting", "FAIL the event has no date or time"},
    {kBerlinFeb, "create standup every day", "FAIL the event has no date or time"},
    {kBerlinFeb, "Please schedule review on February 30 at 10", "FAIL no such date: February 30"},
    {kBerlinFeb, "make an appointment with the doctor on March 3rd at 8:15am",
     "CreateCalendarEvent conf=0.92 title=[appointment with the doctor] start=2026-03-03T08:15:00+01:00 "
     "end=2026-03-03T09:15:00+01:00"},
    {kBerlinFeb, "create trip on May 1 for 3 days",
     "CreateCalendarEvent conf=0.9 title=[trip] start=2026-05-01T00:00:00+02:00 end=2026-05-04T00:00:00+02:00 allday"},
    {kBerlinFeb, "remind me to call Anna on Friday at 9",
     "CreateReminder conf=0.9 title=[call Anna] start=2026-02-13T09:00:00+01:00"},
    {kBerlinFeb, "remind me in 20 minutes to check the oven",
     "CreateReminder conf=0.95 title=[check the oven] start=2026-02-07T11:50:00+01:00"},
    {kBerlinFeb, "remind me at 5pm to buy milk",
     "CreateReminder conf=0.95 title=[buy milk] start=2026-02-07T17:00:00+01:00"},
    {kBerlinFeb, "remind me to pay rent at the end of the month",
     "CreateReminder conf=0.9 title=[pay rent] start=2026-02-28T09:00:00+01:00"},
    {kBerlinFeb, "remind me tomorrow morning to water plants",
     "CreateReminder conf=0.9 title=[water plants] start=2026-02-08T09:00:00+01:00"},
    {kBerlinFeb, "remind me to stretch in half an hour",
     "CreateReminder conf=0.95 title=[stretch] start=2026-02-07T12:00:00+01:00"},
    {kBerlinFeb, "remind me to call mom at 7 tonight",
     "CreateReminder conf=0.95 title=[call mom] start=2026-02-07T19:00:00+01:00"},
    {kBerlinFeb, "remind me tomorrow at 9", "FAIL nothing to be reminded about"},
    {kBerlinFeb, "remind me to buy flowers", "FAIL the reminder has no date or time"},
    {kBerlinFeb, "set a reminder to take pills at 8pm",
     "CreateReminder conf=0.95 title=[take pills] start=2026-02-07T20:00:00+01:00"},
    {kBerlinFeb, "add a reminder for the dentist on Monday",
     "CreateReminder conf=0.9 title=[dentist] start=2026-02-09T09:00:00+01:00"},
    {kBerlinFeb, "reminder: submit report by Friday at 5pm",
     "CreateReminder conf=0.95 title=[submit report] start=2026-02-13T17:00:00+01:00"},
    {kBerlinFeb, "remind me about the meeting in 1 hour",
     "CreateReminder conf=0.95 title=[meeting] start=2026-02-07T12:30:00+01:00"},
    {kBerlinFeb, "remind me to renew passport in 3 months",
     "CreateReminder conf=0.9 title=[renew passport] start=2026-05-07T09:00:00+02:00"},
    {kBerlinFeb, "remind me to call Tom in a couple of days",
     "CreateReminder conf=0.9 title=[call Tom] start=2026-02-09T09:00:00+01:00"},
    {kBerlinFeb, "remind me that the parcel arrives on Tuesday afternoon",
     "CreateReminder conf=0.9 title=[parcel arrives] start=2026-02-10T15:00:00+01:00"},
    {kBerlinFeb, "remind me in 90 minutes to leave",
     "CreateReminder conf=0.95 title=[leave] start=2026-02-07T13:00:00+01:00"},
    {kBerlinFeb, "remind me next week to review the budget",
     "CreateReminder conf=0.9 title=[review the budget] start=2026-02-09T09:00:00+01:00"},
    {kBerlinFeb, "what's the weather in Berlin", "GetWeather conf=0.95 loc=[Berlin]"},
    {kBerlinFeb, "weather in New York tomorrow", "GetWeather conf=0.95 loc=[New York] date=2026-02-08"},
    {kBerlinFeb, "will it rain in Paris this weekend?", "GetWeather conf=0.95 loc=[Paris]"},
    {kBerlinFeb, "Berlin weather", "GetWeather conf=0.95 loc=[Berlin]"},
    {kBerlinFeb, "what's the forecast for tomorrow", "GetWeather conf=0.95 date=2026-02-08"},
    {kBerlinFeb, "weather", "GetWeather conf=0.95"},
    {kBerlinFeb, "how's the weather today", "GetWeather conf=0.95"},
    {kBerlinFeb, "what's the temperature in München right now", "GetWeather conf=0.95 loc=[München]"},
    {kBerlinFeb, "do I need an umbrella tomorrow in London", "GetWeather conf=0.95 loc=[London] date=2026-02-08"},
    {kBerlinFeb, "weather forecast for Rio de Janeiro on Monday",
     "GetWeather conf=0.95 loc=[Rio de Janeiro] date=2026-02-09"},
    {kBerlinFeb, "how cold is it in Oslo", "GetWeather conf=0.95 loc=[Oslo]"},
    {kBerlinFeb, "briefing", "MorningBriefing conf=0.95 date=2026-02-07"},
    {kBerlinFeb, "morning briefing", "MorningBriefing conf=0.95 date=2026-02-07"},
    {kBerlinFeb, "give me my daily briefing please", "MorningBriefing conf=0.95 date=2026-02-07"},
    {kBerlinFeb, "brief me", "MorningBriefing conf=0.95 date=2026-02-07"},
    {kBerlinFeb, "good morning", "MorningBriefing conf=0.75 date=2026-02-07"},
    {kBerlinFeb, "what's on my calendar tomorrow", "ListCalendarEvents conf=0.9 date=2026-02-08 days=1"},
    {kBerlinFeb, "calendar for friday", "ListCalendarEvents conf=0.9 date=2026-02-13 days=1"},
    {kBerlinFeb, "show my agenda for next week", "ListCalendarEvents conf=0.9 date=2026-02-09 days=7"},
    {kBerlinFeb, "what do I have on Monday", "ListCalendarEvents conf=0.9 date=2026-02-09 days=1"},
    {kBerlinFeb, "what meetings do I have next 3 days", "ListCalendarEvents conf=0.9 date=2026-02-07 days=3"},
    {kBerlinFeb, "calendar", "ListCalendarEvents conf=0.9 date=2026-02-07 days=1"},
    {kBerlinFeb, "what's my schedule for the next 5 days", "ListCalendarEvents conf=0.9 date=2026-02-07 days=5"},
    {kBerlinFeb, "am I free on March 5", "ListCalendarEvents conf=0.9 date=2026-03-05 days=1"},
    {kBerlinFeb, "any events this week", "ListCalendarEvents conf=0.9 date=2026-02-07 days=2"},
    {kBerlinFeb, "show my appointments for the weekend", "ListCalendarEvents conf=0.9 date=2026-02-07 days=2"},
    {kBerlinFeb, "what's on tomorrow", "ListCalendarEvents conf=0.9 date=2026-02-08 days=1"},
    {kBerlinFeb, "check my email", "SummarizeInbox conf=0.9 count=10"},
    {kBerlinFeb, "show me my last 5 emails", "SummarizeInbox conf=0.9 count=5"},
    {kBerlinFeb, "any new emails?", "SummarizeInbox conf=0.9 count=10"},
    {kBerlinFeb, "summarize my inbox", "SummarizeInbox conf=0.9 count=10"},
    {kBerlinFeb, "show important emails", "SummarizeInbox conf=0.9 count=10"},
    {kBerlinFeb, "read me the last three mails", "SummarizeInbox conf=0.9 count=3"},
    {kBerlinFeb, "send an email to Bob", "FAIL sending or drafting email is not a supported command"},
    {kBerlinFeb, "help", "Help conf=0.95"},
    {kBerlinFeb, "what can you do?", "Help conf=0.95"},
    {kBerlinFeb, "commands", "Help conf=0.95"},
    {kBerlinFeb, "hello there", "FAIL no known command in the input"},
    {kBerlinFeb, "tell me a joke", "FAIL no known command in the input"},
    {kBerlinFeb, "", "FAIL input is empty"},
    {kBerlinFeb, "2026", "FAIL no known command in the input"},
    {kBerlinSpring, "create meeting tomorrow at 2:30am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-03-29T03:30:00+02:00 end=2026-03-29T04:30:00+02:00"},
    {kBerlinSpring, "create meeting tomorrow at 3pm",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-03-29T15:00:00+02:00 end=2026-03-29T16:00:00+02:00"},
    {kBerlinSpring, "create meeting tomorrow",
     "CreateCalendarEvent conf=0.9 title=[meeting] start=2026-03-29T00:00:00+01:00 end=2026-03-30T00:00:00+02:00 "
     "allday"},
    {kBerlinSpring, "remind me in 24 hours to check",
     "CreateReminder conf=0.95 title=[check] start=2026-03-29T13:00:00+02:00"},
    {kBerlinSpring, "create sleep tomorrow from 1am to 4am",
     "CreateCalendarEvent conf=0.95 title=[sleep] start=2026-03-29T01:00:00+01:00 end=2026-03-29T04:00:00+02:00"},
    {kBerlinSpring, "create standup on Monday at 9:15",
     "CreateCalendarEvent conf=0.92 title=[standup] start=2026-03-30T09:15:00+02:00 end=2026-03-30T10:15:00+02:00"},
    {kBerlinSpring, "remind me tomorrow at 2am to check the clocks",
     "CreateReminder conf=0.95 title=[check the clocks] start=2026-03-29T03:00:00+02:00"},
    {kBerlinAutumn, "create meeting tomorrow at 2:30am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-10-25T02:30:00+02:00 end=2026-10-25T02:30:00+01:00"},
    {kBerlinAutumn, "create meeting tomorrow",
     "CreateCalendarEvent conf=0.9 title=[meeting] start=2026-10-25T00:00:00+02:00 end=2026-10-26T00:00:00+01:00 "
     "allday"},
    {kBerlinAutumn, "remind me in 24 hours to check",
     "CreateReminder conf=0.95 title=[check] start=2026-10-25T11:00:00+01:00"},
    {kBerlinAutumn, "create night shift tomorrow from 1am to 4am",
     "CreateCalendarEvent conf=0.95 title=[night shift] start=2026-10-25T01:00:00+02:00 end=2026-10-25T04:00:00+01:00"},
    {kBerlinAutumn, "create meeting tomorrow at 1:30am for 2 hours",
     "CreateCalendarEvent conf=0.95 title=[meeting] start=2026-10-25T01:30:00+02:00 end=2026-10-25T02:30:00+01:00"},
    {kNewYorkNewYearsEve, "create party tomorrow at 8pm",
     "CreateCalendarEvent conf=0.92 title=[party] start=2027-01-01T20:00:00-05:00 end=2027-01-01T21:00:00-05:00"},
    {kNewYorkNewYearsEve, "remind me in 2 hours to sleep",
     "CreateReminder conf=0.95 title=[sleep] start=2026-12-31T17:00:00-05:00"},
    {kNewYorkNewYearsEve, "remind me in 10 hours to sleep",
     "CreateReminder conf=0.95 title=[sleep] start=2027-01-01T01:00:00-05:00"},
    {kNewYorkNewYearsEve, "create review next Friday at 10",
     "CreateCalendarEvent conf=0.87 title=[review] start=2027-01-08T10:00:00-05:00 end=2027-01-08T11:00:00-05:00"},
    {kNewYorkNewYearsEve, "create planning in 1 month",
     "CreateCalendarEvent conf=0.9 title=[planning] start=2027-01-31T00:00:00-05:00 end=2027-02-01T00:00:00-05:00 "
     "allday"},
    {kNewYorkNewYearsEve, "create sync on the 1st at 10am",
     "CreateCalendarEvent conf=0.92 title=[sync] start=2027-01-01T10:00:00-05:00 end=2027-01-01T11:00:00-05:00"},
    {kNewYorkNewYearsEve, "calendar for next week", "ListCalendarEvents conf=0.9 date=2027-01-04 days=7"},
    {kNewYorkNewYearsEve, "create meeting at the end of the month",
     "CreateCalendarEvent conf=0.9 title=[meeting] start=2026-12-31T00:00:00-05:00 end=2027-01-01T00:00:00-05:00 "
     "allday"},
    {kNewYorkNewYearsEve, "create report end of year",
     "CreateCalendarEvent conf=0.9 title=[report] start=2026-12-31T00:00:00-05:00 end=2027-01-01T00:00:00-05:00 "
     "allday"},
    {kNewYorkNewYearsEve, "what's on my calendar this week", "ListCalendarEvents conf=0.9 date=2026-12-31 days=4"},
    {kNewYorkNewYearsEve, "create kickoff on January 2 at 9am",
     "CreateCalendarEvent conf=0.92 title=[kickoff] start=2027-01-02T09:00:00-05:00 end=2027-01-02T10:00:00-05:00"},
    {kNewYorkNewYearsEve, "create fireworks tonight at 11:30pm",
     "CreateCalendarEvent conf=0.92 title=[fireworks] start=2026-12-31T23:30:00-05:00 end=2027-01-01T00:30:00-05:00"},
    {kNewYorkNewYearsEve, "remind me at 11:59pm to celebrate",
     "CreateReminder conf=0.95 title=[celebrate] start=2026-12-31T23:59:00-05:00"},
    {kNewYorkNewYearsEve, "create meeting on December 30 at 10am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2027-12-30T10:00:00-05:00 end=2027-12-30T11:00:00-05:00"},
    {kLondonJan31, "create billing in 1 month",
     "CreateCalendarEvent conf=0.9 title=[billing] start=2027-02-28T00:00:00Z end=2027-03-01T00:00:00Z allday"},
    {kLondonJan31, "create x in 3 days at 10am",
     "CreateCalendarEvent conf=0.92 title=[x] start=2027-02-03T10:00:00Z end=2027-02-03T11:00:00Z"},
    {kLondonJan31, "remind me on the 29th to pay",
     "CreateReminder conf=0.9 title=[pay] start=2027-03-29T09:00:00+01:00"},
    {kLondonJan31, "create chat on February 29",
     "CreateCalendarEvent conf=0.9 title=[chat] start=2028-02-29T00:00:00Z end=2028-03-01T00:00:00Z allday"},
    {kLondonJan31, "create review on the 31st at 9am",
     "CreateCalendarEvent conf=0.92 title=[review] start=2027-01-31T09:00:00Z end=2027-01-31T10:00:00Z"},
    {kLondonJan31, "create offsite next week",
     "CreateCalendarEvent conf=0.9 title=[offsite] start=2027-02-01T00:00:00Z end=2027-02-08T00:00:00Z allday"},
    {kLondonJan31, "calendar for next month", "ListCalendarEvents conf=0.9 date=2027-02-01 days=28"},
    {kLondonJan31, "remind me at the end of the week to file expenses",
     "CreateReminder conf=0.9 title=[file expenses] start=2027-02-05T09:00:00Z"},
    {kNewYorkSpring, "create meeting tomorrow at 2:30am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-03-08T03:30:00-04:00 end=2026-03-08T04:30:00-04:00"},
    {kNewYorkSpring, "create meeting tomorrow at 3am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-03-08T03:00:00-04:00 end=2026-03-08T04:00:00-04:00"},
    {kNewYorkSpring, "create brunch tomorrow at 11am",
     "CreateCalendarEvent conf=0.92 title=[brunch] start=2026-03-08T11:00:00-04:00 end=2026-03-08T12:00:00-04:00"},
    {kNewYorkSpring, "remind me in 24 hours to water plants",
     "CreateReminder conf=0.95 title=[water plants] start=2026-03-08T11:00:00-04:00"},
    {kNewYorkSpring, "create meeting on Monday at 9am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-03-09T09:00:00-04:00 end=2026-03-09T10:00:00-04:00"},
    {kNewYorkSpring, "create flight on March 8 from 1am to 5am",
     "CreateCalendarEvent conf=0.95 title=[flight] start=2026-03-08T01:00:00-05:00 end=2026-03-08T05:00:00-04:00"},
    {kUtcMonday, "create standup today at 9",
     "CreateCalendarEvent conf=0.87 title=[standup] start=2026-02-09T09:00:00Z end=2026-02-09T10:00:00Z"},
    {kUtcMonday, "create standup at 7",
     "CreateCalendarEvent conf=0.87 title=[standup] start=2026-02-10T07:00:00Z end=2026-02-10T08:00:00Z"},
    {kUtcMonday, "create lunch today at 1",
     "CreateCalendarEvent conf=0.87 title=[lunch] start=2026-02-09T13:00:00Z end=2026-02-09T14:00:00Z"},
    {kUtcMonday, "what's on today", "ListCalendarEvents conf=0.9 date=2026-02-09 days=1"},
    {kUtcMonday, "create planning this monday at 10am",
     "CreateCalendarEvent conf=0.92 title=[planning] start=2026-02-09T10:00:00Z end=2026-02-09T11:00:00Z"},
    {kUtcMonday, "create planning monday at 10am",
     "CreateCalendarEvent conf=0.92 title=[planning] start=2026-02-16T10:00:00Z end=2026-02-16T11:00:00Z"},
    {kSydneyAutumn, "create brunch tomorrow at 2:30am",
     "CreateCalendarEvent conf=0.92 title=[brunch] start=2026-04-05T02:30:00+11:00 end=2026-04-05T02:30:00+10:00"},
    {kSydneyAutumn, "create meeting tomorrow",
     "CreateCalendarEvent conf=0.9 title=[meeting] start=2026-04-05T00:00:00+11:00 end=2026-04-06T00:00:00+10:00 "
     "allday"},
    {kSydneyAutumn, "remind me in 24 hours to call Sydney office",
     "CreateReminder conf=0.95 title=[call Sydney office] start=2026-04-05T09:00:00+10:00"},
    // Explicit dates and ranges win; what cannot be read is refused, never replaced.
    {kBerlinFeb, "create meeting on Sunday 20th December at 10:00",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "create meeting on Sunday, December 20 at 10:00",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "create meeting on Monday 20th December at 10:00", "FAIL 2026-12-20 is a Sunday, not a Monday"},
    {kBerlinFeb, "create meeting on 12/20 at 10am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "create meeting on 20/12 at 10am",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "create review on 12/20/2027 at 9:30",
     "CreateCalendarEvent conf=0.92 title=[review] start=2027-12-20T09:30:00+01:00 end=2027-12-20T10:30:00+01:00"},
    {kBerlinFeb, "create meeting tomorrow 3-5pm",
     "CreateCalendarEvent conf=0.95 title=[meeting] start=2026-02-08T15:00:00+01:00 end=2026-02-08T17:00:00+01:00"},
    {kBerlinFeb, "create meeting on 25.12. at 10:00",
     "CreateCalendarEvent conf=0.92 title=[meeting] start=2026-12-25T10:00:00+01:00 end=2026-12-25T11:00:00+01:00"},
    {kBerlinFeb, "add review on 05.03.2026 at 14:00",
     "CreateCalendarEvent conf=0.92 title=[review] start=2026-03-05T14:00:00+01:00 end=2026-03-05T15:00:00+01:00"},
    {kBerlinFeb, "create meeting tomorrow at 25:00", "FAIL no such time: 25:00"},
    {kBerlinFeb, "create meeting tomorrow at 13pm", "FAIL no such time: 13pm"},
    {kBerlinFeb, "create meeting tomorrow at 10:75", "FAIL no such time: 10:75"},
    {kBerlinFeb, "create meeting on 2/30 at 10am", "FAIL no such date: February 30"},
    {kBerlinFeb, "create meeting on 13/13", "FAIL no such date: 13/13"},
    {kBerlinFeb, "create meeting tomorrow on March 5",
     "FAIL the input names two different days: 2026-02-08 and 2026-03-05"},
    {kBerlinFeb, "read pages 3-5 tomorrow", "FAIL no known command in the input"},
    // German.
    {kBerlinFeb, "erstelle Termin morgen um 15 Uhr",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-02-08T15:00:00+01:00 end=2026-02-08T16:00:00+01:00"},
    {kBerlinFeb, "Erstelle einen Termin am 20. Dezember um 10 Uhr",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "neuer Termin Zahnarzt am Freitag um 10:30",
     "CreateCalendarEvent conf=0.92 title=[Zahnarzt] start=2026-02-13T10:30:00+01:00 end=2026-02-13T11:30:00+01:00"},
    {kBerlinFeb, "erstelle Termin mit Anna übermorgen um 15:30",
     "CreateCalendarEvent conf=0.92 title=[Termin mit Anna] start=2026-02-09T15:30:00+01:00 "
     "end=2026-02-09T16:30:00+01:00"},
    {kBerlinFeb, "erstelle Termin am 20.12. von 15 bis 17 Uhr",
     "CreateCalendarEvent conf=0.95 title=[Termin] start=2026-12-20T15:00:00+01:00 end=2026-12-20T17:00:00+01:00"},
    {kBerlinFeb, "erstelle Termin morgen 15-17 Uhr",
     "CreateCalendarEvent conf=0.95 title=[Termin] start=2026-02-08T15:00:00+01:00 end=2026-02-08T17:00:00+01:00"},
    {kBerlinFeb, "erstelle Termin morgen um 15.30 Uhr",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-02-08T15:30:00+01:00 end=2026-02-08T16:30:00+01:00"},
    {kBerlinFeb, "erstelle Termin am Sonntag, den 20.12. um 10 Uhr",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-12-20T10:00:00+01:00 end=2026-12-20T11:00:00+01:00"},
    {kBerlinFeb, "erstelle Termin am Montag, den 20.12. um 10 Uhr", "FAIL 2026-12-20 is a Sunday, not a Monday"},
    {kBerlinFeb, "erstelle Termin heute Abend um 8",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-02-07T20:00:00+01:00 end=2026-02-07T21:00:00+01:00"},
    {kBerlinFeb, "lege einen Termin für Dienstag um 9 Uhr an",
     "CreateCalendarEvent conf=0.92 title=[Termin] start=2026-02-10T09:00:00+01:00 end=2026-02-10T10:00:00+01:00"},
    {kBerlinFeb, "erstelle Termin um 25 Uhr", "FAIL no such time: 25 uhr"},
    {kBerlinFeb, "erinnere mich morgen um 9 an den Zahnarzt",
     "CreateReminder conf=0.9 title=[Zahnarzt] start=2026-02-08T09:00:00+01:00"},
    {kBerlinFeb, "erinnere mich in 20 Minuten an die Wäsche",
     "CreateReminder conf=0.95 title=[Wäsche] start=2026-02-07T11:50:00+01:00"},
    {kBerlinFeb, "wie ist das Wetter", "GetWeather conf=0.95"},
    {kBerlinFeb, "wie ist das Wetter in München", "GetWeather conf=0.95 loc=[München]"},
    {kBerlinFeb, "Wetter morgen in Berlin", "GetWeather conf=0.95 loc=[Berlin] date=2026-02-08"},
    {kBerlinFeb, "Kalender heute", "ListCalendarEvents conf=0.9 date=2026-02-07 days=1"},
    {kBerlinFeb, "welche Termine habe ich nächste Woche", "ListCalendarEvents conf=0.9 date=2026-02-09 days=7"},
    {kBerlinFeb, "was steht morgen an", "ListCalendarEvents conf=0.9 date=2026-02-08 days=1"},
    {kBerlinFeb, "zeig mir meine E-Mails", "SummarizeInbox conf=0.9 count=10"},
    {kBerlinFeb, "Guten Morgen", "MorningBriefing conf=0.75 date=2026-02-07"},
    {kBerlinFeb, "Hilfe", "Help conf=0.95"},
};

class CommandPhrases : public ::testing::TestWithParam<Case> {};

TEST_P(CommandPhrases, ParsesToTheExpectedCommand) {
  const Case& c = GetParam();
  auto zone = time::TimeZone::Load(c.anchor.zone);
  ASSERT_TRUE(zone) << zone.error().internal_message();
  const time::Seconds now{std::chrono::seconds(c.anchor.now)};
  const ParseResult r = ParseCommand(c.input, now, *zone);
  EXPECT_EQ(Describe(r, *zone), c.expected) << "input: " << c.input;
  EXPECT_EQ(r.requires_approval, r.parsed && ChangesState(r.command.type));
  if (!r.parsed) {
    EXPECT_FALSE(r.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Table, CommandPhrases, ::testing::ValuesIn(kCases));

TEST(CommandParser, TableHasOverAHundredPhrasings) { EXPECT_GE(std::size(kCases), 100u); }

TEST(CommandParser, RefusesOverlongInput) {
  const std::string input(kMaxCommandInput + 1, 'a');
  const auto r = ParseCommand(input, time::Seconds{}, time::TimeZone::Utc());
  EXPECT_FALSE(r.parsed);
  EXPECT_EQ(r.reason, "input is longer than 1000 characters");
}

TEST(CommandParser, SpecExampleInUtc) {
  // The spec's example: said on 2026-02-07 in UTC.
  const auto r = ParseCommand("create meeting tomorrow at 3pm", time::Seconds{std::chrono::seconds(1770460200)},
                              time::TimeZone::Utc());
  ASSERT_TRUE(r.parsed);
  EXPECT_EQ(time::FormatIsoLocal(*r.command.start, time::TimeZone::Utc()), "2026-02-08T15:00:00Z");
  EXPECT_EQ(time::FormatIsoLocal(*r.command.end, time::TimeZone::Utc()), "2026-02-08T16:00:00Z");
  EXPECT_EQ(r.command.title, "meeting");
  EXPECT_DOUBLE_EQ(r.confidence, 0.92);
  EXPECT_TRUE(r.requires_approval);
}

TEST(CommandParser, HostileInputNeverCrashes) {
  const char* inputs[] = {
      "\xff\xfe\xfd", "at",         "in",        "for",  "the",     "next",     "from 3 to",  "between and",
      "99:99",        "99pm",       "0am",       "13pm", "the 0th", "the 32nd", "9999-99-99", "in 99999999999 days",
      "1.5.5.5",      "quarter to", "half past", "’",    "a.m.",    "o'clock",  ":::",        "on the of"};
  for (const char* in : inputs) {
    const auto r = ParseCommand(in, time::Seconds{std::chrono::seconds(1770460200)}, time::TimeZone::Utc());
    if (!r.parsed) {
      EXPECT_FALSE(r.reason.empty()) << in;
    }
  }
}

}  // namespace
}  // namespace atrium::core::commands
