#include "core/time/time_zone.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace atrium::core::time {

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t Be(std::string_view bytes, std::size_t at, int width) {
  std::uint64_t v = 0;
  for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

bool ValidName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '+' || c == '-';
  });
}

struct Counts {
  std::int64_t isut, isstd, leap, time, type, chars;
};

Counts ReadCounts(std::string_view bytes, std::size_t at) {
  return {Be(bytes, at + 20, 4), Be(bytes, at + 24, 4), Be(bytes, at + 28, 4),
          Be(bytes, at + 32, 4), Be(bytes, at + 36, 4), Be(bytes, at + 40, 4)};
}

std::size_t BlockSize(const Counts& c, int time_width) {
  return static_cast<std::size_t>(c.time * time_width + c.time + c.type * 6 + c.chars + c.leap * (time_width + 4) +
                                  c.isstd + c.isut);
}

// Days since 1970-01-01 of the `week`th `weekday` (0 = Sunday) of `month` in `year`.
std::int64_t RuleDay(int year, int month, int week, int weekday) {
  using namespace std::chrono;
  const sys_days first = year_month_day{std::chrono::year(year), std::chrono::month(month), std::chrono::day(1)};
  const int first_wd = static_cast<int>(std::chrono::weekday{first}.c_encoding());
  int mday = 1 + (weekday - first_wd + 7) % 7 + (week - 1) * 7;
  const int last = static_cast<int>(
      unsigned(year_month_day_last{std::chrono::year(year), month_day_last{std::chrono::month(month)}}.day()));
  while (mday > last) mday -= 7;
  return (first + days(mday - 1)).time_since_epoch().count();
}

}  // namespace

TimeZone TimeZone::Utc() {
  TimeZone z;
  z.name_ = "UTC";
  return z;
}

Result<TimeZone> TimeZone::Load(std::string_view name, const std::string& directory) {
  if (!ValidName(name)) return Error(ErrorCode::kInvalidArgument, "unknown time zone");
  if (name == "UTC" || name == "Etc/UTC") return Utc();
  std::ifstream in(directory + "/" + std::string(name), std::ios::binary);
  if (!in) return Error(ErrorCode::kInvalidArgument, "unknown time zone", "no zone file for " + std::string(name));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  auto zone = FromTzif(std::string(name), buffer.str());
  if (!zone) return Error(ErrorCode::kInvalidArgument, "unknown time zone", zone.error().internal_message());
  return zone;
}

Result<TimeZone> TimeZone::FromTzif(std::string name, std::string_view bytes) {
  const auto bad = [](const char* why) { return Error(ErrorCode::kInternal, "bad time zone file", why); };
  if (bytes.size() < 44 || bytes.substr(0, 4) != "TZif") return bad("no TZif header");
  Counts c = ReadCounts(bytes, 0);
  std::size_t at = 44;
  int width = 4;
  if (bytes[4] != '\0') {  // version 2+: skip the 32-bit block, read the 64-bit one
    at += BlockSize(c, 4);
    if (bytes.size() < at + 44 || bytes.substr(at, 4) != "TZif") return bad("no second header");
    c = ReadCounts(bytes, at);
    at += 44;
    width = 8;
  }
  if (c.type < 1 || c.time < 0 || c.chars < 0 || c.leap < 0 || c.isstd < 0 || c.isut < 0 || c.type > 256 ||
      c.time > 100000) {
    return bad("bad counts");
  }
  if (bytes.size() < at + BlockSize(c, width)) return bad("truncated");

  TimeZone z;
  z.name_ = std::move(name);
  const std::size_t times_at = at;
  const std::size_t index_at = times_at + static_cast<std::size_t>(c.time * width);
  const std::size_t types_at = index_at + static_cast<std::size_t>(c.time);
  std::vector<std::int64_t> type_offsets;
  for (std::int64_t i = 0; i < c.type; ++i) type_offsets.push_back(Be(bytes, types_at + i * 6, 4));
  for (std::int64_t i = 0; i < c.time; ++i) {
    const auto index = static_cast<unsigned char>(bytes[index_at + i]);
    if (index >= type_offsets.size()) return bad("bad type index");
    const std::int64_t t = Be(bytes, times_at + i * width, width);
    if (!z.transitions_.empty() && t <= z.transitions_.back()) return bad("transitions not ascending");
    z.transitions_.push_back(t);
    z.offsets_.push_back(type_offsets[index]);
  }
  z.initial_offset_ = type_offsets[0];
  if (width == 8) {
    const std::size_t footer_at = at + BlockSize(c, width);
    if (footer_at < bytes.size() && bytes[footer_at] == '\n') {
      const auto end = bytes.find('\n', footer_at + 1);
      if (end != std::string_view::npos) ParseFooter(bytes.substr(footer_at + 1, end - footer_at - 1), z.footer_);
    }
  }
  return z;
}

bool TimeZone::ParseFooter(std::string_view tz, Footer& out) {
  std::size_t i = 0;
  const auto name = [&]() {
    if (i < tz.size() && tz[i] == '<') {
      const auto close = tz.find('>', i);
      if (close == std::string_view::npos) return false;
      i = close + 1;
      return true;
    }
    const std::size_t start = i;
    while (i < tz.size() && ((tz[i] >= 'A' && tz[i] <= 'Z') || (tz[i] >= 'a' && tz[i] <= 'z'))) ++i;
    return i - start >= 3;
  };
  const auto number = [&](std::int64_t& v) {
    if (i >= tz.size() || tz[i] < '0' || tz[i] > '9') return false;
    v = 0;
    while (i < tz.size() && tz[i] >= '0' && tz[i] <= '9') v = v * 10 + (tz[i++] - '0');
    return true;
  };
  // [+-]hh[:mm[:ss]] in seconds.
  const auto clock = [&](std::int64_t& seconds) {
    int sign = 1;
    if (i < tz.size() && (tz[i] == '+' || tz[i] == '-')) sign = tz[i++] == '-' ? -1 : 1;
    std::int64_t h = 0, m = 0, s = 0;
    if (!number(h)) return false;
    if (i < tz.size() && tz[i] == ':') {
      ++i;
      if (!number(m)) return false;
      if (i < tz.size() && tz[i] == ':') {
        ++i;
        if (!number(s)) return false;
      }
    }
    seconds = sign * (h * 3600 + m * 60 + s);
    return true;
  };
  const auto rule = [&](Rule& r) {
    if (i >= tz.size() || tz[i] != 'M') return false;  // Jn and n forms are not used by tzdata
    ++i;
    std::int64_t m = 0, w = 0, d = 0;
    if (!number(m) || i >= tz.size() || tz[i++] != '.' || !number(w) || i >= tz.size() || tz[i++] != '.' ||
        !number(d)) {
      return false;
    }
    if (m < 1 || m > 12 || w < 1 || w > 5 || d > 6) return false;
    r.month = static_cast<int>(m);
    r.week = static_cast<int>(w);
    r.weekday = static_cast<int>(d);
    r.time = 7200;
    if (i < tz.size() && tz[i] == '/') {
      ++i;
      if (!clock(r.time)) return false;
    }
    return true;
  };

  Footer f;
  std::int64_t posix = 0;
  if (!name() || !clock(posix)) return false;
  f.std_offset = -posix;  // POSIX offsets count west of Greenwich
  f.dst_offset = f.std_offset;
  if (i < tz.size()) {
    if (!name()) return false;
    f.dst_offset = f.std_offset + 3600;
    if (i < tz.size() && tz[i] != ',') {
      if (!clock(posix)) return false;
      f.dst_offset = -posix;
    }
    if (i >= tz.size() || tz[i++] != ',' || !rule(f.start) || i >= tz.size() || tz[i++] != ',' || !rule(f.end)) {
      return false;
    }
  }
  if (i != tz.size()) return false;
  f.valid = true;
  out = f;
  return true;
}

std::int64_t TimeZone::FooterOffset(std::int64_t t) const {
  if (footer_.start.month == 0) return footer_.std_offset;
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_seconds(seconds(t + footer_.std_offset)))};
  const int year = int(ymd.year());
  const std::int64_t start = RuleDay(year, footer_.start.month, footer_.start.week, footer_.start.weekday) * kDay +
                             footer_.start.time - footer_.std_offset;
  const std::int64_t end = RuleDay(year, footer_.end.month, footer_.end.week, footer_.end.weekday) * kDay +
                           footer_.end.time - footer_.dst_offset;
  const bool dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
  return dst ? footer_.dst_offset : footer_.std_offset;
}

std::chrono::seconds TimeZone::OffsetAt(Seconds t) const {
  const std::int64_t s = t.time_since_epoch().count();
  if (transitions_.empty() || s < transitions_.front()) {
    if (transitions_.empty() && footer_.valid) return std::chrono::seconds(FooterOffset(s));
    return std::chrono::seconds(initial_offset_);
  }
  if (s >= transitions_.back() && footer_.valid) return std::chrono::seconds(FooterOffset(s));
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
  return std::chrono::seconds(offsets_[static_cast<std::size_t>(it - transitions_.begin()) - 1]);
}

Seconds TimeZone::ToUtc(LocalSeconds local) const {
  const Seconds as_utc(local.time_since_epoch());
  const auto before = OffsetAt(as_utc - std::chrono::seconds(kDay));
  const auto after = OffsetAt(as_utc + std::chrono::seconds(kDay));
  const Seconds a = as_utc - before;
  const Seconds b = as_utc - after;
  const bool a_ok = a + OffsetAt(a) == as_utc;
  const bool b_ok = b + OffsetAt(b) == as_utc;
  if (a_ok && b_ok) return std::min(a, b);
  if (a_ok) return a;
  if (b_ok) return b;
  return a;  // in a gap: the offset before it carries the wall clock forward
}

std::string FormatIsoLocal(Seconds t, const TimeZone& zone) {
  using namespace std::chrono;
  const auto offset = zone.OffsetAt(t).count();
  const sys_seconds local{t.time_since_epoch() + seconds(offset)};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss hms{local - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()), static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  std::string out = buf;
  if (offset == 0) return out + "Z";
  const auto abs = offset < 0 ? -offset : offset;
  std::snprintf(buf, sizeof buf, "%c%02lld:%02lld", offset < 0 ? '-' : '+', static_cast<long long>(abs / 3600),
                static_cast<long long>((abs % 3600) / 60));
  return out + buf;
}

}  // namespace atrium::core::time
