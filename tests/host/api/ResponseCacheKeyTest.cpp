// ResponseCacheKey: different parameter sets never share a key.
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "ResponseCacheKey.hpp"

namespace mdp::api {
namespace {

TEST(ResponseCacheKey, ValuesCannotBleedIntoTheNextParameter) {
  const std::string one = ResponseCacheKey("/r").add("a", "1&b=2").add("b", "").text();
  const std::string two = ResponseCacheKey("/r").add("a", "1").add("b", "2").text();
  EXPECT_NE(one, two);
}

TEST(ResponseCacheKey, AbsentDiffersFromEmptyAndFromTheDash) {
  const std::string absent = ResponseCacheKey("/r").add_optional("q", std::optional<std::string>()).text();
  const std::string empty = ResponseCacheKey("/r").add_optional("q", std::optional<std::string>("")).text();
  const std::string dash = ResponseCacheKey("/r").add_optional("q", std::optional<std::string>("-")).text();
  EXPECT_NE(absent, empty);
  EXPECT_NE(absent, dash);
  EXPECT_NE(empty, dash);
}

TEST(ResponseCacheKey, RouteAndNumbersArePartOfIt) {
  EXPECT_NE(ResponseCacheKey("/v1/candles").add("x", 1).text(), ResponseCacheKey("/v1/symbols").add("x", 1).text());
  EXPECT_NE(ResponseCacheKey("/r").add("x", 1).text(), ResponseCacheKey("/r").add("x", 10).text());
  EXPECT_EQ(ResponseCacheKey("/r").add_optional("e", std::optional<std::int64_t>(5)).text(),
            ResponseCacheKey("/r").add("e", 5).text());
}

}  // namespace
}  // namespace mdp::api
