// mdp-bench-payloads --out DIR [--fixtures DIR]
//
// Writes the candle bodies one bench run measures into DIR, plus DIR/manifest.tsv (see
// PayloadManifest.hpp): the generated bodies (Binance klines 1500 rows, Hyperliquid
// candleSnapshot 5000 rows, Coinbase candles 300 rows) and a copy of every recorded candle
// response found under the fixtures folder (../shared/fixtures). Every body is parsed once
// with the plugin's own parser: a generated body it rejects is a bug here (exit 1); a
// recorded one it rejects is listed as skipped with the parser's message.
#include <algorithm>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "CandlePayloads.hpp"
#include "PayloadManifest.hpp"
#include "PluginParse.hpp"

namespace fs = std::filesystem;
using mdp::bench::PayloadEntry;

namespace {

struct Options {
  fs::path out;
  std::optional<fs::path> fixtures;
};

int usage(const char* message) {
  std::cerr << "mdp-bench-payloads: " << message << "\nusage: mdp-bench-payloads --out DIR [--fixtures DIR]\n";
  return 2;
}

// Which recorded files are candle responses, per exchange folder of ../shared/fixtures.
bool is_candle_response(const std::string& exchange, const std::string& name) {
  if (name.size() < 5 || name.compare(name.size() - 5, 5, ".json") != 0) return false;
  if (name.find(".request.") != std::string::npos) return false;  // what we sent, not the answer
  if (name.find("error") != std::string::npos) return false;      // error bodies, no candles
  if (exchange == "binance_futures") return name.find("klines") != std::string::npos;
  if (exchange == "hyperliquid") return name.rfind("candleSnapshot", 0) == 0;
  if (exchange == "coinbase") return name.find("candles") != std::string::npos;
  return false;
}

// The interval a recorded file was fetched with, from its name ("klines_BTCUSDT_5m_limit500",
// "candles_BTC-USDT_3600_one_row"); nullopt when the name does not say.
std::optional<std::string> interval_from_name(const std::string& stem) {
  static const char* const codes[] = {"1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h",
                                      "6h", "8h", "12h", "1d", "3d", "1w", "1M"};
  static const std::pair<const char*, const char*> seconds[] = {
      {"60", "1m"}, {"300", "5m"}, {"900", "15m"}, {"3600", "1h"}, {"21600", "6h"}, {"86400", "1d"}};
  std::vector<std::string> tokens;
  std::string token;
  for (const char c : stem + "_") {
    if (c == '_' || c == '.') {
      tokens.push_back(token);
      token.clear();
    } else {
      token.push_back(c);
    }
  }
  for (const auto& t : tokens) {
    for (const char* code : codes) {
      if (t == code) return t;
    }
    for (const auto& [s, code] : seconds) {
      if (t == s) return std::string(code);
    }
  }
  return std::nullopt;
}

// Parses once with the plugin; fills rows, or returns the parser's message.
std::optional<std::string> check_with_plugin(PayloadEntry& e, const std::string& body) {
  try {
    std::vector<mdp::sdk::Candle> rows;
    e.rows = mdp::bench::PluginParse(e.exchange, e.interval)(body, rows);
    if (e.rows == 0) return std::string("the plugin returns no rows for it");
    return std::nullopt;
  } catch (const std::exception& error) {
    return std::string(error.what());
  }
}

PayloadEntry generated(const fs::path& out, const std::string& exchange, std::size_t rows, const std::string& body) {
  PayloadEntry e;
  e.exchange = exchange;
  e.payload = "gen-" + std::to_string(rows);
  e.interval = "1m";
  e.bytes = body.size();
  e.file = out / (e.payload + "-" + exchange + ".json");
  mdp::bench::write_bytes(e.file, body);
  if (const auto problem = check_with_plugin(e, body)) {
    throw std::runtime_error("generated " + exchange + " body rejected by the plugin: " + *problem);
  }
  if (e.rows != rows) {
    throw std::runtime_error("generated " + exchange + " body: the plugin returned " + std::to_string(e.rows) +
                             " rows, expected " + std::to_string(rows));
  }
  return e;
}

std::vector<PayloadEntry> recorded(const fs::path& out, const fs::path& fixtures) {
  std::vector<PayloadEntry> entries;
  for (const std::string& exchange : mdp::bench::PluginParse::exchanges()) {
    const fs::path folder = fixtures / exchange;
    if (!fs::is_directory(folder)) continue;
    std::vector<fs::path> files;
    for (const auto& item : fs::directory_iterator(folder)) {
      if (item.is_regular_file() && is_candle_response(exchange, item.path().filename().string())) {
        files.push_back(item.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      const std::string body = mdp::bench::read_bytes(file);
      PayloadEntry e;
      e.exchange = exchange;
      e.payload = "rec-" + file.stem().string();
      const auto interval = interval_from_name(file.stem().string());
      e.interval = interval.value_or("1m");
      e.bytes = body.size();
      e.file = out / (e.payload + "-" + exchange + ".json");
      mdp::bench::write_bytes(e.file, body);
      if (const auto problem = check_with_plugin(e, body)) {
        e.skipped = true;
        e.note = "the plugin rejects it: " + problem->substr(0, 160);
      } else if (!interval) {
        e.note = "interval not in the file name: parsed as 1m (changes derived close times only)";
      }
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--out" || arg == "--fixtures") && i + 1 < argc) {
      (arg == "--out" ? options.out : options.fixtures.emplace()) = argv[++i];
    } else {
      return usage(("unexpected argument '" + arg + "'").c_str());
    }
  }
  if (options.out.empty()) return usage("--out is required");
  try {
    fs::create_directories(options.out);
    const fs::path out = fs::absolute(options.out);
    std::vector<PayloadEntry> entries;
    entries.push_back(generated(out, "binance_futures", 1500, mdp::bench::binance_klines_body(1500, 1)));
    entries.push_back(generated(out, "hyperliquid", 5000, mdp::bench::hyperliquid_candle_snapshot_body(5000, 2)));
    entries.push_back(generated(out, "coinbase", 300, mdp::bench::coinbase_candles_body(300, 3)));
    if (options.fixtures && fs::is_directory(*options.fixtures)) {
      for (auto& e : recorded(out, *options.fixtures)) entries.push_back(std::move(e));
    } else if (options.fixtures) {
      std::cerr << "mdp-bench-payloads: no fixtures folder at " << options.fixtures->string()
                << ": recorded responses not measured\n";
    }
    mdp::bench::write_manifest(out / "manifest.tsv", entries);
    for (const auto& e : entries) {
      std::cerr << (e.skipped ? "  skipped " : "  payload ") << e.exchange << ' ' << e.payload << ": " << e.rows
                << " rows, " << e.bytes << " bytes" << (e.note.empty() ? "" : " (" + e.note + ")") << '\n';
    }
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "mdp-bench-payloads: " << error.what() << '\n';
    return 1;
  }
}
