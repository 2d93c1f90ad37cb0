// The list of candle payloads one bench run measures, written by mdp-bench-payloads and read
// by every side (mdp-bench-parse, the ccxt script, the report), so all of them time the very
// same bytes. One tab-separated line per payload, after a header line:
//   status  exchange  payload  interval  rows  bytes  file  note
// status "ok" = measure it; "skipped" = a recorded file the plugin does not parse (note says
// why), listed so the report can say so. Paths are absolute.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace mdp::bench {

struct PayloadEntry {
  bool skipped = false;
  std::string exchange;  // plugin id: binance_futures, hyperliquid, coinbase
  std::string payload;   // "gen-1500", "rec-klines_BTCUSDT_5m_limit500"
  std::string interval;  // canonical code the body was requested with
  std::size_t rows = 0;  // rows the plugin returns for it
  std::size_t bytes = 0;
  std::filesystem::path file;
  std::string note;      // why skipped; "" otherwise
};

void write_manifest(const std::filesystem::path& path, const std::vector<PayloadEntry>& entries);
// Throws std::runtime_error naming the line when the file is unreadable or malformed.
std::vector<PayloadEntry> read_manifest(const std::filesystem::path& path);

// The whole file as bytes; throws std::runtime_error when unreadable.
std::string read_bytes(const std::filesystem::path& path);
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

}  // namespace mdp::bench
