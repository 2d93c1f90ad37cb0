// Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace mdp::net {

// Milliseconds to wait, relative to `now_unix_ms`. Accepts delay-seconds (ASCII digits only)
// and the three HTTP-date forms (IMF-fixdate, obsolete RFC 850, asctime), with optional
// surrounding spaces/tabs. A date in the past gives 0. -1 when empty or malformed.
// Absurd values are capped at 10 days.
std::int64_t parse_retry_after_ms(std::string_view value, std::int64_t now_unix_ms);

// An HTTP-date as UTC ms since the epoch; nullopt when malformed.
std::optional<std::int64_t> parse_http_date_ms(std::string_view value);

}  // namespace mdp::net
