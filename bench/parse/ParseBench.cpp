// mdp-bench-parse --manifest DIR/manifest.tsv [Google Benchmark flags]
//
// Target 1 of issue 11, our side: for every payload of the manifest,
//   parse/<exchange>/<payload>/plugin        the plugin's own parse function (bytes -> rows
//                                            with canonical decimal text), rows reused;
//   parse/<exchange>/<payload>/simdjson_dom  simdjson's DOM parse of the same bytes, building
//                                            nothing (already padded, parser reused): the
//                                            ceiling on this machine.
// Both report bytes_per_second (CPU time of this one thread). The ccxt side runs in
// bench/ccxt on the same files; bench/run pins both to one core and the report divides.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "PayloadManifest.hpp"
#include "PluginParse.hpp"

namespace {

using mdp::bench::PayloadEntry;

// Loaded once; the benchmarks only read it.
struct Payload {
  PayloadEntry entry;
  std::string body;
};

void bench_plugin(benchmark::State& state, const Payload& payload) {
  const mdp::bench::PluginParse parse(payload.entry.exchange, payload.entry.interval);
  std::vector<mdp::sdk::Candle> rows;
  // Check before timing: the same rows the payload writer saw.
  if (parse(payload.body, rows) != payload.entry.rows) {
    state.SkipWithError("row count differs from the manifest");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse(payload.body, rows));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(payload.body.size()));
  state.counters["rows"] = static_cast<double>(payload.entry.rows);
}

void bench_simdjson_dom(benchmark::State& state, const Payload& payload) {
  const simdjson::padded_string padded(payload.body);
  simdjson::dom::parser parser;
  if (parser.parse(padded).error() != simdjson::SUCCESS) {
    state.SkipWithError("simdjson rejects the payload");
    return;
  }
  for (auto _ : state) {
    simdjson::dom::element root;
    const auto error = parser.parse(padded).get(root);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(root);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(payload.body.size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  std::string manifest;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--manifest") == 0 && i + 1 < argc) {
      manifest = argv[++i];
    } else {
      std::cerr << "mdp-bench-parse: unexpected argument '" << argv[i] << "'\n";
      return 2;
    }
  }
  if (manifest.empty()) {
    std::cerr << "usage: mdp-bench-parse --manifest DIR/manifest.tsv [--benchmark_* flags]\n";
    return 2;
  }
  std::vector<std::unique_ptr<Payload>> payloads;
  try {
    for (auto& entry : mdp::bench::read_manifest(manifest)) {
      if (entry.skipped) continue;
      auto payload = std::make_unique<Payload>();
      payload->body = mdp::bench::read_bytes(entry.file);
      payload->entry = std::move(entry);
      payloads.push_back(std::move(payload));
    }
  } catch (const std::exception& error) {
    std::cerr << "mdp-bench-parse: " << error.what() << '\n';
    return 1;
  }
  for (const auto& p : payloads) {
    const std::string prefix = "parse/" + p->entry.exchange + "/" + p->entry.payload + "/";
    benchmark::RegisterBenchmark((prefix + "plugin").c_str(), bench_plugin, std::cref(*p));
    benchmark::RegisterBenchmark((prefix + "simdjson_dom").c_str(), bench_simdjson_dom, std::cref(*p));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
