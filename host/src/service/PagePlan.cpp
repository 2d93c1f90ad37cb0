#include "PagePlan.hpp"

namespace mdp::service {

std::int64_t bucket_count(const domain::Interval& interval, std::int64_t start_ms, std::int64_t end_ms) {
  if (start_ms >= end_ms) return 0;
  // The first bucket that opens at or after start.
  std::int64_t open = domain::align_down(interval, start_ms);
  if (open < start_ms) open = domain::next_open_time(interval, open);
  if (!interval.calendar_month) {
    if (open >= end_ms) return 0;
    return (end_ms - 1 - open) / interval.duration_ms + 1;
  }
  std::int64_t count = 0;
  for (; open < end_ms; open = domain::next_open_time(interval, open)) ++count;
  return count;
}

std::vector<PageWindow> plan_pages(const domain::Interval& interval, std::int64_t start_ms,
                                   std::int64_t end_ms, std::uint32_t page_cap) {
  std::vector<PageWindow> pages;
  if (start_ms >= end_ms || page_cap == 0) return pages;
  std::int64_t window_start = start_ms;
  std::int64_t open = domain::align_down(interval, start_ms);
  if (open < start_ms) open = domain::next_open_time(interval, open);
  while (window_start < end_ms) {
    // Advance `page_cap` buckets from the first open time inside this window.
    std::int64_t next = open;
    if (!interval.calendar_month) {
      next = open + static_cast<std::int64_t>(page_cap) * interval.duration_ms;
    } else {
      for (std::uint32_t i = 0; i < page_cap && next < end_ms; ++i) next = domain::next_open_time(interval, next);
    }
    const std::int64_t window_end = next < end_ms ? next : end_ms;
    pages.push_back({window_start, window_end});
    window_start = window_end;
    open = window_end;
  }
  return pages;
}

}  // namespace mdp::service
