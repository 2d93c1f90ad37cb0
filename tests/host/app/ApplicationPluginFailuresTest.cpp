// Issue 2, "Done when" (the one fixture a process test cannot reach without the API): a plugin
// whose operations throw is loaded by the Application, each call fails with its own message
// as a PluginError, and the host keeps serving the other plugins and /health.
#include <gtest/gtest.h>

#include <string>

#include "FakeExchangeServer.hpp"
#include "HttpProbe.hpp"
#include "IntegrationPaths.hpp"
#include "PluginRegistry.hpp"
#include "RunningApplication.hpp"
#include "ScratchDir.hpp"

namespace mdp::app::integration {
namespace {

using domain::AdapterError;
using domain::AdapterErrorCode;

std::string plugin_error_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const AdapterError& e) {
    EXPECT_EQ(e.code(), AdapterErrorCode::PluginError) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no AdapterError";
  return "";
}

TEST(ApplicationPluginFailures, AThrowingPluginFailsItsCallsWithItsOwnMessagesAndTheHostStaysUp) {
  ScratchDir work{"mdp-app-throws"};
  const auto plugin_dir = work.make_dir("plugins");
  ScratchDir::install_plugin(fixture_plugin_dir() / "mdp-throws.so", plugin_dir, "throws");
  ScratchDir::install_plugin(plugin_build_dir() / "mdp-binance_futures.so", plugin_dir, kBinance);

  fake::FakeExchangeServer exchange;
  exchange.get("/fapi/v1/klines", fake::FakeResponse::file(own_fixture("binance_futures", "klines_BTCUSDT_1m.json").string()));
  RunningApplication running(
      ApplicationOptions{plugin_dir, {{"throws", exchange.base_url()}, {kBinance, exchange.base_url()}}, {}});
  ASSERT_TRUE(running.app().plugins().all_loaded());
  auto throws = running.adapter("throws");

  const std::int64_t start = 1'704'164'640'000;
  EXPECT_NE(plugin_error_of([&] { throws->fetch_candles({"runtime_error", "1m", start, start + 60'000, 10}, generous_context()); })
                .find("plugin 'throws' fetch_candles: MDP_E_INTERNAL: fixture exploded in fetch_candles"),
            std::string::npos);
  EXPECT_NE(plugin_error_of([&] { throws->list_symbols(generous_context()); })
                .find("plugin 'throws' list_symbols: MDP_E_INTERNAL: fixture list_symbols always throws"),
            std::string::npos);
  for (const char* kind : {"int", "bad_alloc"}) {
    EXPECT_NE(plugin_error_of([&] { throws->fetch_candles({kind, "1m", start, start + 60'000, 10}, generous_context()); })
                  .find("plugin 'throws' fetch_candles: MDP_E_INTERNAL"),
              std::string::npos)
        << kind;
  }

  // The same plugin still answers a call that does not throw, the others are untouched.
  EXPECT_EQ(throws->fetch_candles({"fine", "1m", start, start + 60'000, 10}, generous_context()).candles.size(), 1u);
  EXPECT_EQ(running.adapter(kBinance)->fetch_candles({"BTCUSDT", "1m", start, start + 4 * 60'000, 1500}, generous_context())
                .candles.size(),
            4u);
  const ProbeResult health = http_get(running.app().http_port(), "/health");
  EXPECT_EQ(health.status, 200) << health.error;
}

}  // namespace
}  // namespace mdp::app::integration
