// Strict query parameter readers (RELIABILITY.md H8), table-driven.
#include <gtest/gtest.h>

#include "Parameters.hpp"
#include "ProblemError.hpp"

namespace mdp::api {
namespace {

http::Request with_parameter(const std::string& name, const std::string& value) {
  http::Request request;
  http::QueryParameters query;
  query.add(name, value);
  request.set_query(std::move(query));
  return request;
}

// The detail of the 400 `call` throws, or "" when it does not throw.
template <typename Fn>
std::string rejection(Fn&& call) {
  try {
    call();
  } catch (const http::ProblemError& error) {
    EXPECT_EQ(error.problem().status(), 400);
    EXPECT_EQ(error.problem().type(), http::ProblemType::BadRequest);
    return error.problem().detail();
  }
  return {};
}

TEST(Parameters, CountAcceptsPlainDigitsInRange) {
  EXPECT_EQ(optional_count(with_parameter("limit", "1"), "limit", 1, 1000), 1u);
  EXPECT_EQ(optional_count(with_parameter("limit", "1000"), "limit", 1, 1000), 1000u);
  EXPECT_EQ(optional_count(with_parameter("limit", "0042"), "limit", 1, 1000), 42u);
  EXPECT_FALSE(optional_count(with_parameter("other", "5"), "limit", 1, 1000));
}

TEST(Parameters, CountRefusalsNameTheParameter) {
  for (const char* bad : {"", "0", "1001", "+5", " 5", "5 ", "-1", "1e3", "12.0", "0x10", "99999999999999999999",
                          "18446744073709551616"}) {
    const std::string detail = rejection([&] { optional_count(with_parameter("limit", bad), "limit", 1, 1000); });
    EXPECT_NE(detail.find("'limit'"), std::string::npos) << "'" << bad << "' gave: " << detail;
    EXPECT_NE(detail.find("1..1000"), std::string::npos) << detail;
  }
}

TEST(Parameters, TimeAcceptsMillisecondsAndIso8601) {
  EXPECT_EQ(optional_time(with_parameter("start", "1704067200000"), "start"), 1704067200000);
  EXPECT_EQ(optional_time(with_parameter("start", "2024-01-01"), "start"), 1704067200000);
  EXPECT_EQ(optional_time(with_parameter("start", "2024-01-01T00:00:00Z"), "start"), 1704067200000);
  EXPECT_EQ(optional_time(with_parameter("start", "2024-01-01T01:00:00.500+00:00"), "start"), 1704070800500);
}

TEST(Parameters, TimeRefusalsNameTheParameter) {
  for (const char* bad : {"", "abc", "+1704067200000", " 1704067200000", "17040672000000", "-1", "2024-13-01",
                          "2024-01-01T00:00:00+01:00", "1.5", "2024-01-01T24:00:00Z"}) {
    const std::string detail = rejection([&] { optional_time(with_parameter("end", bad), "end"); });
    EXPECT_NE(detail.find("'end'"), std::string::npos) << "'" << bad << "' gave: " << detail;
  }
}

TEST(Parameters, FlagAndText) {
  EXPECT_EQ(optional_flag(with_parameter("include_open", "true"), "include_open"), true);
  EXPECT_EQ(optional_flag(with_parameter("include_open", "0"), "include_open"), false);
  EXPECT_NE(rejection([] { optional_flag(with_parameter("include_open", "yes"), "include_open"); }).find("'include_open'"),
            std::string::npos);
  EXPECT_NE(rejection([] { optional_text(with_parameter("exchange", ""), "exchange"); }).find("must not be empty"),
            std::string::npos);
  EXPECT_NE(rejection([] { required_text(with_parameter("other", "x"), "exchange"); }).find("'exchange'"),
            std::string::npos);
  EXPECT_EQ(required_text(with_parameter("exchange", "binance_futures"), "exchange"), "binance_futures");
}

TEST(Parameters, RejectionCarriesTheParameterMember) {
  try {
    optional_count(with_parameter("limit", "x"), "limit", 1, 10);
    FAIL();
  } catch (const http::ProblemError& error) {
    ASSERT_EQ(error.problem().extensions().size(), 1u);
    EXPECT_EQ(error.problem().extensions()[0].first, "parameter");
    EXPECT_EQ(error.problem().extensions()[0].second, "\"limit\"");
  }
}

}  // namespace
}  // namespace mdp::api
