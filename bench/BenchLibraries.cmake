# The benchmark helpers the tests check too (tests/bench): included by bench/CMakeLists.txt and
# by tests/bench/CMakeLists.txt, so a normal test build (no MDP_BUILD_BENCH) tests them as well.
include_guard(GLOBAL)

# Deterministic candle bodies in the exchanges' wire formats + the manifest both sides read.
add_library(mdp_bench_payloads STATIC
  ${CMAKE_CURRENT_LIST_DIR}/payloads/CandlePayloads.cpp
  ${CMAKE_CURRENT_LIST_DIR}/payloads/DecimalText.cpp
  ${CMAKE_CURRENT_LIST_DIR}/payloads/PayloadManifest.cpp)
target_include_directories(mdp_bench_payloads PUBLIC ${CMAKE_CURRENT_LIST_DIR}/payloads)

# The plugins' own parse functions behind one call (exchange id + interval code -> parse).
# Links the plugins' parsers libraries, so what is measured is what the plugins run.
add_library(mdp_bench_plugin_parse STATIC ${CMAKE_CURRENT_LIST_DIR}/parse/PluginParse.cpp)
target_include_directories(mdp_bench_plugin_parse PUBLIC ${CMAKE_CURRENT_LIST_DIR}/parse)
target_link_libraries(mdp_bench_plugin_parse
  PUBLIC MarketDataPluginSDK::sdk
  PRIVATE mdp_binance_parsers mdp_hyperliquid_parsers mdp_coinbase_parsers)

# Binance USD-M responses generated on demand (klines for any range, exchangeInfo with N
# symbols), served by mdp-bench-fake-binance for the fetch and scale benchmarks.
add_library(mdp_bench_generated_binance STATIC ${CMAKE_CURRENT_LIST_DIR}/fetch/GeneratedBinance.cpp)
target_include_directories(mdp_bench_generated_binance PUBLIC ${CMAKE_CURRENT_LIST_DIR}/fetch)
