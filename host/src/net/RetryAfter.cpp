#include "RetryAfter.hpp"

#include <array>

#include "Time.hpp"

namespace mdp::net {
namespace {

constexpr std::int64_t kMaxRetryAfterMs = 10LL * 24 * 3600 * 1000;

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A tiny cursor over the text; every helper fails (returns false) without consuming on error.
struct Cursor {
  std::string_view s;
  std::size_t pos = 0;

  bool literal(std::string_view text) {
    if (s.substr(pos, text.size()) != text) return false;
    pos += text.size();
    return true;
  }
  bool digits(std::size_t count, int& out) {
    if (pos + count > s.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = s[pos + i];
      if (!is_digit(c)) return false;
      value = value * 10 + (c - '0');
    }
    out = value;
    pos += count;
    return true;
  }
  template <std::size_t N>
  bool one_of(const std::array<std::string_view, N>& names, int& index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (s.substr(pos, names[i].size()) == names[i]) {
        // A short day name must not be a prefix of a longer word.
        const std::size_t end = pos + names[i].size();
        if (end < s.size() && ((s[end] >= 'a' && s[end] <= 'z') || (s[end] >= 'A' && s[end] <= 'Z'))) continue;
        pos = end;
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  bool done() const { return pos == s.size(); }
};

bool time_of_day(Cursor& c, int& h, int& m, int& sec) {
  return c.digits(2, h) && c.literal(":") && c.digits(2, m) && c.literal(":") && c.digits(2, sec) && h <= 23 &&
         m <= 59 && sec <= 60;
}

std::optional<std::int64_t> to_ms(int year, int month_index, int day, int h, int m, int sec) {
  if (day < 1 || day > 31 || year < 1970 || year > 9999) return std::nullopt;
  static constexpr int kDaysIn[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day > kDaysIn[month_index]) return std::nullopt;
  const domain::CivilDate date{year, static_cast<unsigned>(month_index + 1), static_cast<unsigned>(day)};
  return domain::ms_from_civil(date) + ((static_cast<std::int64_t>(h) * 60 + m) * 60 + sec) * 1000;
}

std::optional<std::int64_t> imf_fixdate(std::string_view s) {
  // Sun, 06 Nov 1994 08:49:37 GMT
  Cursor c{s};
  int wd = 0, day = 0, mon = 0, year = 0, h = 0, m = 0, sec = 0;
  if (!(c.one_of(kDays, wd) && c.literal(", ") && c.digits(2, day) && c.literal(" ") && c.one_of(kMonths, mon) &&
        c.literal(" ") && c.digits(4, year) && c.literal(" ") && time_of_day(c, h, m, sec) && c.literal(" GMT") &&
        c.done())) {
    return std::nullopt;
  }
  return to_ms(year, mon, day, h, m, sec);
}

std::optional<std::int64_t> rfc850_date(std::string_view s) {
  // Sunday, 06-Nov-94 08:49:37 GMT
  Cursor c{s};
  int wd = 0, day = 0, mon = 0, yy = 0, h = 0, m = 0, sec = 0;
  if (!(c.one_of(kLongDays, wd) && c.literal(", ") && c.digits(2, day) && c.literal("-") && c.one_of(kMonths, mon) &&
        c.literal("-") && c.digits(2, yy) && c.literal(" ") && time_of_day(c, h, m, sec) && c.literal(" GMT") &&
        c.done())) {
    return std::nullopt;
  }
  const int year = yy < 70 ? 2000 + yy : 1900 + yy;
  return to_ms(year, mon, day, h, m, sec);
}

std::optional<std::int64_t> asctime_date(std::string_view s) {
  // Sun Nov  6 08:49:37 1994
  Cursor c{s};
  int wd = 0, mon = 0, day = 0, year = 0, h = 0, m = 0, sec = 0;
  if (!(c.one_of(kDays, wd) && c.literal(" ") && c.one_of(kMonths, mon) && c.literal(" "))) return std::nullopt;
  if (c.literal(" ")) {
    if (!c.digits(1, day)) return std::nullopt;
  } else if (!c.digits(2, day)) {
    return std::nullopt;
  }
  if (!(c.literal(" ") && time_of_day(c, h, m, sec) && c.literal(" ") && c.digits(4, year) && c.done())) {
    return std::nullopt;
  }
  return to_ms(year, mon, day, h, m, sec);
}

}  // namespace

std::optional<std::int64_t> parse_http_date_ms(std::string_view value) {
  value = trim(value);
  if (auto ms = imf_fixdate(value)) return ms;
  if (auto ms = rfc850_date(value)) return ms;
  return asctime_date(value);
}

std::int64_t parse_retry_after_ms(std::string_view value, std::int64_t now_unix_ms) {
  value = trim(value);
  if (value.empty()) return -1;
  if (is_digit(value.front())) {
    std::int64_t seconds = 0;
    for (const char c : value) {
      if (!is_digit(c)) return -1;
      if (seconds < kMaxRetryAfterMs) seconds = seconds * 10 + (c - '0');
    }
    return seconds >= kMaxRetryAfterMs / 1000 ? kMaxRetryAfterMs : seconds * 1000;
  }
  const auto date = parse_http_date_ms(value);
  if (!date) return -1;
  const std::int64_t delta = *date - now_unix_ms;
  if (delta <= 0) return 0;
  return delta > kMaxRetryAfterMs ? kMaxRetryAfterMs : delta;
}

}  // namespace mdp::net
