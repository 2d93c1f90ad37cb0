// UTC calendar arithmetic on int64 milliseconds (no time zones, no locale, no Poco).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::domain {

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Date part of a UTC instant (floor to the day).
CivilDate civil_from_ms(std::int64_t ms);
// Midnight UTC of a date, in ms.
std::int64_t ms_from_civil(const CivilDate& date);

// Strict time parameter: either 1..13 ASCII digits of UTC ms, or ISO-8601
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]Z" (also "+00:00"). nullopt on anything else.
std::optional<std::int64_t> parse_time(std::string_view text);

// "2024-04-04T01:00:00.000Z"
std::string format_iso8601(std::int64_t ms);

}  // namespace mdp::domain
