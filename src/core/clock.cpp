#include "iamlocal/core/clock.h"

#include <cstdio>
#include <ctime>

namespace iamlocal {
namespace {

std::tm toUtc(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}

bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

}  // namespace

// Hand-rolled rather than snprintf: timestamps are formatted for every
// entity of every listed page, a hot path.
std::string formatIso8601(TimePoint t) {
  using namespace std::chrono;
  const auto secs = floor<seconds>(t);
  const auto day = floor<days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss hms{secs - day};
  auto put = [](char* p, unsigned v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
  };
  std::string out = "0000-00-00T00:00:00Z";
  put(out.data(), static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  put(out.data() + 5, static_cast<unsigned>(ymd.month()), 2);
  put(out.data() + 8, static_cast<unsigned>(ymd.day()), 2);
  put(out.data() + 11, static_cast<unsigned>(hms.hours().count()), 2);
  put(out.data() + 14, static_cast<unsigned>(hms.minutes().count()), 2);
  put(out.data() + 17, static_cast<unsigned>(hms.seconds().count()), 2);
  return out;
}

std::string formatAmzDate(TimePoint t) {
  std::tm tm = toUtc(t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool parseIso8601(std::string_view s, TimePoint& out) {
  int year, mon, day, hour = 0, min = 0, sec = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mon) || s[7] != '-' ||
      !digits(s, 8, 2, day))
    return false;
  std::size_t pos = 10;
  long offset_seconds = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return false;
    if (!digits(s, pos + 1, 2, hour) || s.size() < pos + 9 || s[pos + 3] != ':' || !digits(s, pos + 4, 2, min) ||
        s[pos + 6] != ':' || !digits(s, pos + 7, 2, sec))
      return false;
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh)) return false;
        std::size_t mpos = pos + 3;
        if (mpos < s.size() && s[mpos] == ':') ++mpos;
        if (!digits(s, mpos, 2, om)) return false;
        offset_seconds = (oh * 3600L + om * 60L) * (s[pos] == '-' ? -1 : 1);
        pos = mpos + 2;
      } else {
        return false;
      }
    }
  }
  if (pos != s.size()) return false;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return false;
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(mon)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return false;
  auto tp = std::chrono::sys_days{ymd} + std::chrono::hours{hour} + std::chrono::minutes{min} +
            std::chrono::seconds{sec} - std::chrono::seconds{offset_seconds};
  out = std::chrono::time_point_cast<std::chrono::system_clock::duration>(tp);
  return true;
}

}  // namespace iamlocal
