// The canonical interval catalogue: 1m … 1M with durations and calendar rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::domain {

struct Interval {
  std::string_view code;      // canonical code, e.g. "1h"
  std::int64_t duration_ms;   // nominal duration; for 1M the length of a 30-day month
  bool calendar_month;        // 1M: buckets start at the first of each UTC month
};

// The whole catalogue in ascending duration order.
const std::vector<Interval>& interval_catalogue();

// Looks up a canonical code; nullopt when the code is not in the catalogue.
std::optional<Interval> find_interval(std::string_view code);

// Open time of the bucket after the one opening at `open_ms` (calendar-aware for 1M).
std::int64_t next_open_time(const Interval& interval, std::int64_t open_ms);

// Close time (inclusive, open of next bucket - 1 ms) of the bucket opening at `open_ms`.
std::int64_t close_time(const Interval& interval, std::int64_t open_ms);

// Start of the bucket containing `t_ms`; weeks start on Monday 00:00 UTC (exchange convention).
std::int64_t align_down(const Interval& interval, std::int64_t t_ms);

}  // namespace mdp::domain
