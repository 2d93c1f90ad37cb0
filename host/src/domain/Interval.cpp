#include "Interval.hpp"

#include "Time.hpp"

namespace mdp::domain {
namespace {
constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
// 1970-01-01 was a Thursday; Monday-aligned weeks are offset by 4 days.
constexpr std::int64_t kMondayOffset = 4 * kDay;
}  // namespace

const std::vector<Interval>& interval_catalogue() {
  static const std::vector<Interval> catalogue = {
      {"1m", kMinute, false},      {"3m", 3 * kMinute, false},  {"5m", 5 * kMinute, false},
      {"15m", 15 * kMinute, false}, {"30m", 30 * kMinute, false}, {"1h", kHour, false},
      {"2h", 2 * kHour, false},    {"4h", 4 * kHour, false},    {"6h", 6 * kHour, false},
      {"8h", 8 * kHour, false},    {"12h", 12 * kHour, false},  {"1d", kDay, false},
      {"3d", 3 * kDay, false},     {"1w", 7 * kDay, false},     {"1M", 30 * kDay, true},
  };
  return catalogue;
}

std::optional<Interval> find_interval(std::string_view code) {
  for (const Interval& interval : interval_catalogue()) {
    if (interval.code == code) return interval;
  }
  return std::nullopt;
}

std::int64_t next_open_time(const Interval& interval, std::int64_t open_ms) {
  if (!interval.calendar_month) return open_ms + interval.duration_ms;
  CivilDate date = civil_from_ms(open_ms);
  date.day = 1;
  if (++date.month > 12) {
    date.month = 1;
    ++date.year;
  }
  return ms_from_civil(date);
}

std::int64_t close_time(const Interval& interval, std::int64_t open_ms) {
  return next_open_time(interval, open_ms) - 1;
}

std::int64_t align_down(const Interval& interval, std::int64_t t_ms) {
  auto floor_to = [](std::int64_t v, std::int64_t step) {
    std::int64_t r = v % step;
    if (r < 0) r += step;
    return v - r;
  };
  if (interval.calendar_month) {
    CivilDate date = civil_from_ms(t_ms);
    date.day = 1;
    return ms_from_civil(date);
  }
  if (interval.code == "1w") return floor_to(t_ms - kMondayOffset, interval.duration_ms) + kMondayOffset;
  return floor_to(t_ms, interval.duration_ms);
}

}  // namespace mdp::domain
