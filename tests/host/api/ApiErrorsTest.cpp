// The one mapping table: every AdapterError code and every service error to its status,
// problem type and headers; unknown exceptions are left for the pipeline's 500.
#include <gtest/gtest.h>

#include "ApiErrors.hpp"
#include "CandleService.hpp"
#include "ServiceErrors.hpp"

namespace mdp::api {
namespace {

using domain::AdapterError;
using domain::AdapterErrorCode;
using http::ProblemType;

const std::string* header(const http::Problem& problem, const std::string& name) {
  for (const auto& [key, value] : problem.headers()) {
    if (key == name) return &value;
  }
  return nullptr;
}

struct AdapterCase {
  AdapterErrorCode code;
  int status;
  ProblemType type;
  bool retry_after;
};

class AdapterErrorMapping : public ::testing::TestWithParam<AdapterCase> {};

TEST_P(AdapterErrorMapping, MapsToTheDocumentedProblem) {
  const AdapterCase& c = GetParam();
  const AdapterError error(c.code, "upstream said: <html>secret body</html>", 2500, 503);
  const http::Problem problem = problem_for_adapter_error(error, "binance_futures");
  EXPECT_EQ(problem.status(), c.status);
  EXPECT_EQ(problem.type(), c.type);
  EXPECT_EQ(header(problem, "Retry-After") != nullptr, c.retry_after);
  // The adapter's message may quote the exchange: never in the detail.
  EXPECT_EQ(problem.detail().find("secret"), std::string::npos) << problem.detail();
  EXPECT_EQ(problem.detail().find("<html>"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Table, AdapterErrorMapping,
    ::testing::Values(AdapterCase{AdapterErrorCode::UpstreamRateLimited, 503, ProblemType::UpstreamRateLimited, true},
                      AdapterCase{AdapterErrorCode::UpstreamUnavailable, 502, ProblemType::UpstreamUnavailable, true},
                      AdapterCase{AdapterErrorCode::Timeout, 504, ProblemType::UpstreamTimeout, false},
                      AdapterCase{AdapterErrorCode::UpstreamProtocol, 502, ProblemType::UpstreamBadResponse, false},
                      AdapterCase{AdapterErrorCode::PluginError, 502, ProblemType::PluginError, false},
                      AdapterCase{AdapterErrorCode::PluginBadOutput, 502, ProblemType::PluginBadOutput, false},
                      AdapterCase{AdapterErrorCode::NotFound, 404, ProblemType::NotFound, false},
                      AdapterCase{AdapterErrorCode::Cancelled, 503, ProblemType::Unavailable, true},
                      AdapterCase{AdapterErrorCode::InvalidArgument, 400, ProblemType::BadRequest, false},
                      AdapterCase{AdapterErrorCode::Unsupported, 400, ProblemType::BadRequest, false}));

TEST(AdapterErrorMapping, RetryAfterRoundsUpTheExchangesDelayAndDefaultsWhenUnknown) {
  const auto retry_after = [](std::int64_t ms) {
    const http::Problem p =
        problem_for_adapter_error(AdapterError(AdapterErrorCode::UpstreamRateLimited, "x", ms), "ex");
    return *header(p, "Retry-After");
  };
  EXPECT_EQ(retry_after(2500), "3");
  EXPECT_EQ(retry_after(1000), "1");
  EXPECT_EQ(retry_after(-1), std::to_string(kRetryAfterUnavailableSeconds));
  EXPECT_EQ(retry_after(int64_t{3} * 86'400'000), "86400");
}

TEST(AdapterErrorMapping, UnavailableCarriesRetryAfterOnlyWhenKnown) {
  // An open circuit breaker reports its remaining cool-down (RELIABILITY.md U11).
  const http::Problem open =
      problem_for_adapter_error(AdapterError(AdapterErrorCode::UpstreamUnavailable, "x", 9'200), "ex");
  ASSERT_NE(header(open, "Retry-After"), nullptr);
  EXPECT_EQ(*header(open, "Retry-After"), "10");
  const http::Problem unknown =
      problem_for_adapter_error(AdapterError(AdapterErrorCode::UpstreamUnavailable, "x", -1), "ex");
  EXPECT_EQ(header(unknown, "Retry-After"), nullptr);
}

template <typename E>
std::optional<http::Problem> map(E error) {
  return problem_for_exception(std::make_exception_ptr(error), "ex", "req-1");
}

TEST(ExceptionMapping, ServiceErrors) {
  auto not_found = map(service::NotFound("unknown symbol 'X'"));
  ASSERT_TRUE(not_found);
  EXPECT_EQ(not_found->status(), 404);
  EXPECT_EQ(not_found->detail(), "unknown symbol 'X'");

  auto rejected = map(service::RequestRejected("interval", "interval '2m' is not supported", {"1m", "1h"}));
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status(), 400);
  ASSERT_EQ(rejected->extensions().size(), 2u);
  EXPECT_EQ(rejected->extensions()[0].second, "\"interval\"");
  EXPECT_EQ(rejected->extensions()[1].first, "supported");
  EXPECT_EQ(rejected->extensions()[1].second, "[\"1m\",\"1h\"]");

  auto db = map(service::StoreUnavailable("down"));
  ASSERT_TRUE(db);
  EXPECT_EQ(db->type(), ProblemType::DbUnavailable);
  EXPECT_EQ(db->status(), 503);
  EXPECT_NE(header(*db, "Retry-After"), nullptr);

  auto capability = map(service::CapabilityUnavailable("plugin failed"));
  ASSERT_TRUE(capability);
  EXPECT_EQ(capability->type(), ProblemType::Unavailable);

  auto rows = map(service::CandleQueryError(service::CandleQueryError::Kind::TooManyRows, "narrow the range"));
  ASSERT_TRUE(rows);
  EXPECT_EQ(rows->status(), 400);
  EXPECT_EQ(rows->detail(), "narrow the range");
}

TEST(ExceptionMapping, UnknownExceptionsAreLeftToThePipeline) {
  EXPECT_FALSE(map(std::runtime_error("SELECT * FROM x")));
  EXPECT_FALSE(map(std::logic_error("bug")));
  EXPECT_FALSE(problem_for_exception(std::make_exception_ptr(42), "", ""));
}

}  // namespace
}  // namespace mdp::api
