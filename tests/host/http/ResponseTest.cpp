// Response's shared body: a cache hands one immutable buffer to many responses without
// copying it, and nothing a route writes afterwards can change that buffer.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "Problem.hpp"
#include "Response.hpp"

namespace mdp::http {
namespace {

TEST(Response, ShareBodyMovesTheBufferAndKeepsItAsTheBody) {
  Response response("r1");
  response.start_json(200) = "{\"a\":1}";
  const std::shared_ptr<const std::string> shared = response.share_body();
  EXPECT_EQ(*shared, "{\"a\":1}");
  const Response& sent = response;
  EXPECT_EQ(&sent.body(), shared.get());
  EXPECT_EQ(response.share_body(), shared) << "sharing twice returns the same buffer";
}

TEST(Response, ASharedBodyIsSentAsIsAndCopiedBeforeAnyWrite) {
  const auto shared = std::make_shared<const std::string>("cached bytes");
  Response response("r2");
  response.set_shared_body(shared);
  const Response& sent = response;
  EXPECT_EQ(&sent.body(), shared.get());
  response.body() += "!";
  EXPECT_EQ(*shared, "cached bytes");
  EXPECT_EQ(sent.body(), "cached bytes!");
  EXPECT_THROW(response.set_shared_body(nullptr), std::invalid_argument);
}

TEST(Response, StartJsonAndProblemsReplaceASharedBody) {
  const auto shared = std::make_shared<const std::string>("cached bytes");
  Response response("r3");
  response.set_shared_body(shared);
  EXPECT_EQ(response.start_json(200), "");
  response.set_shared_body(shared);
  response.set_problem(Problem(ProblemType::NotFound, "gone"));
  const Response& sent = response;
  EXPECT_EQ(sent.body().find("cached"), std::string::npos);
  EXPECT_EQ(*shared, "cached bytes");
}

}  // namespace
}  // namespace mdp::http
