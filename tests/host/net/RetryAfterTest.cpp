#include <gtest/gtest.h>

#include "RetryAfter.hpp"

using mdp::net::parse_http_date_ms;
using mdp::net::parse_retry_after_ms;

namespace {
// RFC 9110's example date: Sun, 06 Nov 1994 08:49:37 GMT.
constexpr std::int64_t kExample = 784111777000;
}  // namespace

TEST(RetryAfter, DelaySeconds) {
  EXPECT_EQ(parse_retry_after_ms("120", 0), 120000);
  EXPECT_EQ(parse_retry_after_ms("0", 0), 0);
  EXPECT_EQ(parse_retry_after_ms(" 3\t", 0), 3000);
  EXPECT_EQ(parse_retry_after_ms("1", kExample), 1000);  // independent of now
}

TEST(RetryAfter, MalformedIsAbsent) {
  for (const char* bad : {"", "  ", "-1", "+5", "1.5", "1e3", "abc", "12 s", "0x10", "Sun, 06 Nov 1994"}) {
    EXPECT_EQ(parse_retry_after_ms(bad, 0), -1) << bad;
  }
}

TEST(RetryAfter, HugeDelayIsCapped) {
  EXPECT_EQ(parse_retry_after_ms("99999999999999999999999", 0), 10LL * 24 * 3600 * 1000);
  EXPECT_EQ(parse_retry_after_ms("259200", 0), 259200000);  // Binance's longest ban: 3 days
}

TEST(RetryAfter, HttpDateForms) {
  EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), kExample);
  EXPECT_EQ(parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), kExample);
  EXPECT_EQ(parse_http_date_ms("Sun Nov  6 08:49:37 1994"), kExample);
  EXPECT_EQ(parse_http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_http_date_ms("Tue, 29 Feb 2028 23:59:59 GMT"), 1835481599000);
}

TEST(RetryAfter, HttpDateRelativeToNow) {
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", kExample - 5000), 5000);
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", kExample), 0);
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", kExample + 60000), 0);  // past: go now
  EXPECT_EQ(parse_retry_after_ms("Sun Nov  6 08:49:47 1994", kExample), 10000);
}

TEST(RetryAfter, BadDatesRejected) {
  for (const char* bad : {"Sun, 06 Nov 1994 08:49:37 PST", "Sun, 6 Nov 1994 08:49:37 GMT",
                          "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                          "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49:37 GMT x",
                          "Sunday, 06 Nov 1994 08:49:37 GMT", "sun, 06 nov 1994 08:49:37 gmt"}) {
    EXPECT_FALSE(parse_http_date_ms(bad).has_value()) << bad;
    EXPECT_EQ(parse_retry_after_ms(bad, 0), -1) << bad;
  }
}
