// JSON/CSV negotiation: format= wins, else Accept with q-values and specificity.
#include <gtest/gtest.h>

#include "ProblemError.hpp"
#include "ResponseFormat.hpp"

namespace mdp::api {
namespace {

struct AcceptCase {
  const char* accept;
  ResponseFormat expected;
};

class AcceptNegotiation : public ::testing::TestWithParam<AcceptCase> {};

TEST_P(AcceptNegotiation, ChoosesTheFormatTheClientPrefers) {
  EXPECT_EQ(format_from_accept(GetParam().accept), GetParam().expected) << GetParam().accept;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AcceptNegotiation,
    ::testing::Values(AcceptCase{"text/csv", ResponseFormat::Csv}, AcceptCase{"TEXT/CSV", ResponseFormat::Csv},
                      AcceptCase{"text/csv; charset=utf-8", ResponseFormat::Csv},
                      AcceptCase{"text/*", ResponseFormat::Csv},
                      AcceptCase{"application/json", ResponseFormat::Json}, AcceptCase{"*/*", ResponseFormat::Json},
                      AcceptCase{"", ResponseFormat::Json}, AcceptCase{"image/png", ResponseFormat::Json},
                      AcceptCase{"text/csv, application/json", ResponseFormat::Json},
                      AcceptCase{"application/json;q=0.5, text/csv", ResponseFormat::Csv},
                      AcceptCase{"text/csv;q=0.9, application/json;q=0.8", ResponseFormat::Csv},
                      AcceptCase{"text/csv;q=0, */*", ResponseFormat::Json},
                      AcceptCase{"*/*;q=0.1, text/csv", ResponseFormat::Csv},
                      AcceptCase{"text/html, application/xhtml+xml, */*;q=0.8", ResponseFormat::Json}));

http::Request request_with(std::string query_format, std::string accept) {
  http::Request request;
  http::QueryParameters query;
  if (!query_format.empty()) query.add("format", std::move(query_format));
  request.set_query(std::move(query));
  if (!accept.empty()) request.set_headers({{"Accept", std::move(accept)}});
  return request;
}

TEST(NegotiateFormat, FormatParameterOverridesAccept) {
  EXPECT_EQ(negotiate_format(request_with("json", "text/csv")), ResponseFormat::Json);
  EXPECT_EQ(negotiate_format(request_with("csv", "application/json")), ResponseFormat::Csv);
  EXPECT_EQ(negotiate_format(request_with("", "text/csv")), ResponseFormat::Csv);
  EXPECT_EQ(negotiate_format(request_with("", "")), ResponseFormat::Json);
}

TEST(NegotiateFormat, UnknownFormatIsA400NamingTheParameter) {
  try {
    negotiate_format(request_with("xml", ""));
    FAIL() << "expected a problem";
  } catch (const http::ProblemError& error) {
    EXPECT_EQ(error.problem().status(), 400);
    EXPECT_NE(error.problem().detail().find("'format'"), std::string::npos);
  }
}

}  // namespace
}  // namespace mdp::api
