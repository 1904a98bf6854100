#pragma once
// A time zone of the IANA database, read from a compiled TZif file (RFC 8536) under
// /usr/share/zoneinfo. GCC 12's <chrono> has no time-zone database, so this is the
// small part of one the core needs: the UTC offset at an instant, and the instant of
// a local wall-clock time.
//
// Immutable after loading and safe to share between threads.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace atrium::core::time {

using Seconds = std::chrono::sys_seconds;
using LocalSeconds = std::chrono::local_seconds;

class TimeZone {
 public:
  // UTC, without reading any file.
  static TimeZone Utc();
  // Loads `name` ("Europe/Berlin") from `directory`. kInvalidArgument for a name that is
  // not a zone name (empty, "..", characters outside [A-Za-z0-9/_+-]) or names no zone;
  // kInternal for a file that is not TZif.
  static Result<TimeZone> Load(std::string_view name, const std::string& directory = "/usr/share/zoneinfo");
  // Parses TZif bytes (exposed for tests and fuzzing).
  static Result<TimeZone> FromTzif(std::string name, std::string_view bytes);

  const std::string& name() const { return name_; }
  // The offset from UTC in force at `t` (DST included).
  std::chrono::seconds OffsetAt(Seconds t) const;
  // The instant a wall clock in this zone shows `local`. A time skipped by a forward
  // change (02:30 on a spring-forward night) is moved forward by the gap, as a wall
  // clock would be; a time that occurs twice (autumn) resolves to the earlier instant.
  Seconds ToUtc(LocalSeconds local) const;
  LocalSeconds ToLocal(Seconds t) const { return LocalSeconds((t + OffsetAt(t)).time_since_epoch()); }

 private:
  // One rule of the POSIX TZ footer, for instants after the last transition.
  struct Rule {
    int month = 0;  // 1-12; 0: the footer has no DST
    int week = 0;   // 1-5 (5 = last)
    int weekday = 0;
    std::int64_t time = 7200;  // local seconds after midnight
  };
  struct Footer {
    bool valid = false;
    std::int64_t std_offset = 0;
    std::int64_t dst_offset = 0;
    Rule start, end;  // DST from start (in std time) to end (in dst time)
  };

  std::int64_t FooterOffset(std::int64_t t) const;
  static bool ParseFooter(std::string_view tz, Footer& out);

  std::string name_;
  std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
  std::vector<std::int64_t> offsets_;      // offset in force from transitions_[i]
  std::int64_t initial_offset_ = 0;        // before the first transition
  Footer footer_;
};

// ISO-8601 with the zone's offset at `t`: "2026-03-29T03:00:00+02:00", or "...Z" when
// the offset is zero.
std::string FormatIsoLocal(Seconds t, const TimeZone& zone);

}  // namespace atrium::core::time
