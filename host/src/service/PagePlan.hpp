// Splits a candle range into pages an exchange can serve in one request each.
#pragma once

#include <cstdint>
#include <vector>

#include "Interval.hpp"

namespace mdp::service {

struct PageWindow {
  std::int64_t start_ms;  // inclusive
  std::int64_t end_ms;    // exclusive
};

// Number of candle buckets whose open time lies in [start, end).
std::int64_t bucket_count(const domain::Interval& interval, std::int64_t start_ms, std::int64_t end_ms);

// Consecutive windows covering [start, end), each holding at most `page_cap` buckets.
// Window edges after the first sit on bucket boundaries, so no bucket is split.
std::vector<PageWindow> plan_pages(const domain::Interval& interval, std::int64_t start_ms,
                                   std::int64_t end_ms, std::uint32_t page_cap);

}  // namespace mdp::service
