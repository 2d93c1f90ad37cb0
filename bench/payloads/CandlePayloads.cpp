#include "CandlePayloads.hpp"

#include <algorithm>
#include <vector>

#include "DecimalText.hpp"

namespace mdp::bench {
namespace {

// splitmix64: tiny, fast, and the same sequence everywhere (std:: distributions are not).
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

// One candle of a random walk, in integer ticks and integer size units.
struct Bar {
  std::int64_t open, high, low, close;  // price ticks
  std::int64_t volume;                  // size units
  std::int64_t trades;
};

// `start` ticks, moves of at most `step` ticks per bar, wicks of at most `wick` ticks.
std::vector<Bar> random_walk(std::size_t rows, std::uint64_t seed, std::int64_t start, std::int64_t step,
                             std::int64_t wick, std::int64_t max_volume) {
  Random random(seed);
  std::vector<Bar> bars;
  bars.reserve(rows);
  std::int64_t price = start;
  for (std::size_t i = 0; i < rows; ++i) {
    Bar b{};
    b.open = price;
    b.close = std::max<std::int64_t>(1, price + random.between(-step, step));
    b.high = std::max(b.open, b.close) + random.between(0, wick);
    b.low = std::max<std::int64_t>(1, std::min(b.open, b.close) - random.between(0, wick));
    // Volumes spread over orders of magnitude, so their printed lengths vary.
    const std::int64_t scale = std::int64_t{1} << random.between(0, 12);
    b.volume = random.between(1, std::max<std::int64_t>(1, max_volume / scale));
    b.trades = random.between(1, 40'000);
    price = b.close;
    bars.push_back(b);
  }
  return bars;
}

void append_quoted(std::string& out, std::int64_t units, int decimals, Trailing trailing) {
  out.push_back('"');
  append_decimal(out, units, decimals, trailing);
  out.push_back('"');
}

}  // namespace

std::string binance_klines_body(std::size_t rows, std::uint64_t seed) {
  // Price ticks of 0.10 USDT printed with 2 decimals; volume in 0.001 BTC.
  const auto bars = random_walk(rows, seed, 1'023'256, 400, 250, 2'000'000);
  Random taker(seed ^ 0x5A5A5A5AULL);
  std::string out;
  out.reserve(rows * 150);
  out.push_back('[');
  std::int64_t open_ms = kGeneratedStartMs;
  for (std::size_t i = 0; i < bars.size(); ++i, open_ms += kOneMinuteMs) {
    const Bar& b = bars[i];
    if (i != 0) out.push_back(',');
    out.push_back('[');
    out += std::to_string(open_ms);
    for (const std::int64_t ticks : {b.open, b.high, b.low, b.close}) {
      out.push_back(',');
      append_quoted(out, ticks * 10, 2, Trailing::Keep);  // cents
    }
    out.push_back(',');
    append_quoted(out, b.volume, 3, Trailing::Keep);
    out.push_back(',');
    out += std::to_string(open_ms + kOneMinuteMs - 1);
    // volume (1e-3) x close (1e-2) = quote volume in 1e-5 units, exactly.
    out.push_back(',');
    append_quoted(out, b.volume * b.close * 10, 5, Trailing::Keep);
    out.push_back(',');
    out += std::to_string(b.trades);
    const std::int64_t taker_volume = taker.between(0, b.volume);
    out.push_back(',');
    append_quoted(out, taker_volume, 3, Trailing::Keep);
    out.push_back(',');
    append_quoted(out, taker_volume * b.close * 10, 5, Trailing::Keep);
    out += ",\"0\"]";
  }
  out.push_back(']');
  return out;
}

std::string hyperliquid_candle_snapshot_body(std::size_t rows, std::uint64_t seed) {
  // 5 significant figures near 3000: ticks of 0.1; sizes in 0.0001 ETH.
  const auto bars = random_walk(rows, seed, 30'124, 30, 20, 50'000'000);
  std::string out;
  out.reserve(rows * 150);
  out.push_back('[');
  std::int64_t open_ms = kGeneratedStartMs;
  for (std::size_t i = 0; i < bars.size(); ++i, open_ms += kOneMinuteMs) {
    const Bar& b = bars[i];
    if (i != 0) out.push_back(',');
    out += "{\"T\":";
    out += std::to_string(open_ms + kOneMinuteMs - 1);
    out += ",\"c\":";
    append_quoted(out, b.close, 1, Trailing::KeepOne);
    out += ",\"h\":";
    append_quoted(out, b.high, 1, Trailing::KeepOne);
    out += ",\"i\":\"1m\",\"l\":";
    append_quoted(out, b.low, 1, Trailing::KeepOne);
    out += ",\"n\":";
    out += std::to_string(b.trades);
    out += ",\"o\":";
    append_quoted(out, b.open, 1, Trailing::KeepOne);
    out += ",\"s\":\"ETH\",\"t\":";
    out += std::to_string(open_ms);
    out += ",\"v\":";
    append_quoted(out, b.volume, 4, Trailing::KeepOne);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

std::string coinbase_candles_body(std::size_t rows, std::uint64_t seed) {
  // Cents near 66,000 USD; volumes in 1e-8 BTC.
  const auto bars = random_walk(rows, seed, 6'631'240, 2'500, 1'500, 40'000'000'000);
  std::string out;
  out.reserve(rows * 140);
  out += "{\"candles\":[";
  // Newest first, as Coinbase sends them.
  for (std::size_t n = 0; n < bars.size(); ++n) {
    const std::size_t i = bars.size() - 1 - n;
    const Bar& b = bars[i];
    const std::int64_t start_s = (kGeneratedStartMs + static_cast<std::int64_t>(i) * kOneMinuteMs) / 1000;
    if (n != 0) out.push_back(',');
    out += "{\"start\":\"";
    out += std::to_string(start_s);
    out += "\",\"low\":";
    append_quoted(out, b.low, 2, Trailing::Drop);
    out += ",\"high\":";
    append_quoted(out, b.high, 2, Trailing::Drop);
    out += ",\"open\":";
    append_quoted(out, b.open, 2, Trailing::Drop);
    out += ",\"close\":";
    append_quoted(out, b.close, 2, Trailing::Drop);
    out += ",\"volume\":";
    append_quoted(out, b.volume, 8, Trailing::Drop);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

}  // namespace mdp::bench
