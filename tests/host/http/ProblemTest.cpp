#include <set>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "Problem.hpp"
#include "ProblemError.hpp"
#include "ProblemType.hpp"
#include "Request.hpp"
#include "RequestId.hpp"
#include "Response.hpp"

namespace mdp::http {
namespace {

TEST(ProblemTest, RendersRfc9457Members) {
  const Problem problem(ProblemType::NotFound, "no resource at this path");
  EXPECT_EQ(problem.status(), 404);
  EXPECT_EQ(problem.render("abc123"),
            R"({"type":"https://mdp.dev/problems/not-found","title":"Not found","status":404,)"
            R"("detail":"no resource at this path","instance":"abc123"})");
}

TEST(ProblemTest, ExtensionsAndHeaders) {
  Problem problem(ProblemType::Unavailable, "try later");
  problem.with_extension("checks", "[1,2]").with_retry_after(7);
  EXPECT_EQ(problem.render(""),
            R"({"type":"https://mdp.dev/problems/unavailable","title":"Service unavailable","status":503,)"
            R"("detail":"try later","checks":[1,2]})");
  ASSERT_EQ(problem.headers().size(), 1U);
  EXPECT_EQ(problem.headers()[0].first, "Retry-After");
  EXPECT_EQ(problem.headers()[0].second, "7");
  EXPECT_THROW(problem.with_extension("status", "1"), std::invalid_argument);
}

TEST(ProblemTest, DetailIsEscaped) {
  const Problem problem(ProblemType::BadRequest, "unknown query parameter 'a\"b'");
  EXPECT_NE(problem.render("x").find(R"("detail":"unknown query parameter 'a\"b'")"), std::string::npos);
}

TEST(ProblemTypeTest, TableIsConsistent) {
  std::set<std::string_view> slugs;
  for (std::size_t i = 0; i < all_problem_types().size(); ++i) {
    const ProblemTypeInfo& info = all_problem_types()[i];
    EXPECT_EQ(static_cast<std::size_t>(info.type), i);
    EXPECT_TRUE(slugs.insert(info.slug).second) << "duplicate slug " << info.slug;
    EXPECT_GE(info.status, 400);
    EXPECT_LE(info.status, 599);
    EXPECT_FALSE(info.title.empty());
  }
  EXPECT_EQ(problem_type_uri(ProblemType::Internal), "https://mdp.dev/problems/internal");
  EXPECT_EQ(problem_type_info(ProblemType::HeadersTooLarge).status, 431);
  EXPECT_EQ(problem_type_info(ProblemType::UnsupportedVersion).status, 505);
}

TEST(ProblemErrorTest, WhatIsOnlyTheTitle) {
  const ProblemError error(Problem(ProblemType::BadRequest, "secret-ish detail"));
  EXPECT_STREQ(error.what(), "Bad request");
}

TEST(ResponseTest, SetProblemUsesRequestIdAndNoStore) {
  Response response("req-1");
  response.set_header("X-Custom", "1");
  response.set_problem(Problem(ProblemType::MethodNotAllowed, "no").with_header("Allow", "GET, HEAD"));
  EXPECT_EQ(response.status(), 405);
  EXPECT_EQ(response.content_type(), "application/problem+json");
  ASSERT_NE(response.header("allow"), nullptr);
  EXPECT_EQ(*response.header("Allow"), "GET, HEAD");
  ASSERT_NE(response.header("Cache-Control"), nullptr);
  EXPECT_EQ(response.header("X-Custom"), nullptr);  // a problem replaces what was there
  EXPECT_NE(response.body().find(R"("instance":"req-1")"), std::string::npos);
}

TEST(ResponseTest, RefusesUnsafeHeaders) {
  Response response;
  EXPECT_THROW(response.set_header("X-A", "a\r\nSet-Cookie: x"), std::invalid_argument);
  EXPECT_THROW(response.set_header("X-A", std::string("a\0b", 3)), std::invalid_argument);
  EXPECT_THROW(response.set_header("Bad Name", "v"), std::invalid_argument);
  EXPECT_THROW(response.set_header("Content-Length", "5"), std::invalid_argument);
  EXPECT_THROW(response.set_header("connection", "keep-alive"), std::invalid_argument);
  EXPECT_THROW(response.set_status(99), std::invalid_argument);
  response.set_header("X-A", "1");
  response.set_header("x-a", "2");
  ASSERT_EQ(response.headers().size(), 1U);
  EXPECT_EQ(response.headers()[0].second, "2");
}

TEST(RequestTest, HeaderLookupIsCaseInsensitive) {
  Request request;
  request.set_headers({{"Accept", "text/csv"}, {"X-Dup", "1"}, {"x-dup", "2"}});
  ASSERT_NE(request.header("accept"), nullptr);
  EXPECT_EQ(*request.header("ACCEPT"), "text/csv");
  EXPECT_EQ(request.header_count("X-DUP"), 2U);
  EXPECT_EQ(request.header("Authorization"), nullptr);
}

TEST(RequestTest, ParameterHelpersThrowProblems) {
  Request request;
  QueryParameters query;
  query.add("exchange", "binance_futures");
  query.add("limti", "5");
  request.set_query(query);
  try {
    request.reject_unknown_parameters({"exchange", "limit"});
    FAIL() << "expected ProblemError";
  } catch (const ProblemError& error) {
    EXPECT_EQ(error.problem().status(), 400);
    EXPECT_EQ(error.problem().detail(), "unknown query parameter 'limti'");
  }
  EXPECT_EQ(request.required_parameter("exchange"), "binance_futures");
  try {
    request.required_parameter("symbol");
    FAIL() << "expected ProblemError";
  } catch (const ProblemError& error) {
    EXPECT_EQ(error.problem().detail(), "missing required query parameter 'symbol'");
  }
}

TEST(RequestIdTest, GeneratedIdsAreHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = new_request_id();
    ASSERT_EQ(id.size(), 16U);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(RequestIdTest, OnlyShortSafeIncomingIdsAreAccepted) {
  EXPECT_TRUE(is_acceptable_request_id("abc-123_X.y"));
  EXPECT_TRUE(is_acceptable_request_id(std::string(64, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(std::string(65, 'a')));
  EXPECT_FALSE(is_acceptable_request_id(""));
  EXPECT_FALSE(is_acceptable_request_id("a b"));
  EXPECT_FALSE(is_acceptable_request_id("a\"b"));
  EXPECT_FALSE(is_acceptable_request_id("a\nb"));
  EXPECT_FALSE(is_acceptable_request_id("x:y"));
}

}  // namespace
}  // namespace mdp::http
