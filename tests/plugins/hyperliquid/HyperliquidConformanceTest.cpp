// Conformance over every recorded Hyperliquid response in ../shared/fixtures/hyperliquid:
// each body goes through the real parse functions (and the .so for the list/page paths), and
// the invariants are checked against the exchange's own text, read here independently with
// simdjson: every symbol parses, canonical symbols are unique, decimals are exact (canonical
// == exchange text up to trailing zeros), candles ascend, open_time < close_time and
// low <= open, close <= high (exact decimal comparison, no double).
// When ../shared/fixtures is absent the tests say so and skip (the only allowed skip).
#include "HyperliquidParsers.hpp"
#include "HyperliquidTestSupport.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <set>

namespace fs = std::filesystem;
namespace hl = mdp::hyperliquid;
using hyperliquid_test::compare_decimal;
using hyperliquid_test::strip_trailing_zeros;

namespace {

enum class Kind { Request, Candles, Perp, PerpArray, Spot, Unknown };

std::string hyperliquid_dir() {
  const std::string shared = mdp::testing::shared_fixtures_dir();
  if (shared.empty()) return "";
  const fs::path dir = fs::path(shared) / "hyperliquid";
  return fs::is_directory(dir) ? dir.string() : "";
}

#define REQUIRE_SHARED_FIXTURES(dir)                                                                  \
  const std::string dir = hyperliquid_dir();                                                          \
  if (dir.empty()) {                                                                                  \
    GTEST_SKIP() << "../shared/fixtures/hyperliquid is not present: the conformance run over recorded " \
                    "real responses did not happen";                                                  \
  }

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Kind classify(const std::string& name) {
  if (ends_with(name, ".request.json")) return Kind::Request;
  if (starts_with(name, "candleSnapshot")) return Kind::Candles;
  if (starts_with(name, "spotMeta") || starts_with(name, "nautilus_spotMeta")) return Kind::Spot;
  if (starts_with(name, "nautilus_allPerpMetas")) return Kind::PerpArray;
  if (starts_with(name, "meta") || starts_with(name, "nautilus_meta")) return Kind::Perp;
  return Kind::Unknown;
}

std::vector<std::string> files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const std::string& dir, const std::string& name) {
  std::FILE* f = std::fopen((dir + "/" + name).c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + name);
  std::string data;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  std::fclose(f);
  return data;
}

// The response body a plugin would receive for this file: "...AndAssetCtxs" captures are
// [meta, ctxs], whose first element is the meta/spotMeta body.
std::vector<std::string> bodies_of(const std::string& name, const std::string& text, Kind kind) {
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(text);
  if (name.find("AndAssetCtxs") != std::string::npos) return {simdjson::minify(doc.at(0))};
  if (kind == Kind::PerpArray) {
    std::vector<std::string> out;
    for (const auto e : doc.get_array()) out.push_back(simdjson::minify(e));
    return out;
  }
  return {text};
}

// Raw values of the exchange's own JSON (a failed lookup throws: the test fails loudly).
std::string text(simdjson::simdjson_result<simdjson::dom::element> value) {
  return std::string(std::string_view(value));
}
std::int64_t integer(simdjson::simdjson_result<simdjson::dom::element> value) { return std::int64_t(value); }

struct Counts {
  std::size_t files = 0, symbols = 0, candles = 0;
};
Counts& counts() {
  static Counts c;
  return c;
}

void expect_unique(const std::vector<mdp::sdk::Symbol>& symbols, const std::string& where) {
  std::set<std::string> canonical, native;
  for (const auto& s : symbols) {
    EXPECT_TRUE(canonical.insert(s.symbol).second) << where << ": duplicate canonical " << s.symbol;
    EXPECT_TRUE(native.insert(s.native_symbol).second) << where << ": duplicate native " << s.native_symbol;
  }
}

// BASE/QUOTE or BASE/QUOTE:SETTLE with non-empty parts made of the symbol's own fields.
void expect_canonical_shape(const mdp::sdk::Symbol& s) {
  const std::string expected = s.market_type == MDP_MARKET_PERPETUAL ? s.base + "/" + s.quote + ":" + s.settle
                                                                      : s.base + "/" + s.quote;
  EXPECT_TRUE(s.symbol == expected || s.symbol == expected + "~" + s.native_symbol) << s.symbol;
  EXPECT_FALSE(s.base.empty());
  EXPECT_FALSE(s.quote.empty());
  EXPECT_TRUE(mdp::is_canonical_decimal(s.lot_step)) << s.symbol << " lot " << s.lot_step;
  EXPECT_EQ(s.tick_size, "");
  EXPECT_EQ(s.price_max_sig_figs, 5);
  EXPECT_GE(s.price_max_decimals, 0);
}

void check_candles(const std::string& dir, const std::string& name) {
  SCOPED_TRACE(name);
  const std::string body = read(dir, name);
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(body);
  const simdjson::dom::array raw = doc.get_array();
  ASSERT_GT(raw.size(), 0u);
  const std::string interval = text((*raw.begin())["i"]);
  const auto rows = hl::parse_candle_snapshot(body, interval, std::numeric_limits<std::int64_t>::max());
  ASSERT_EQ(rows.size(), raw.size());
  std::size_t i = 0;
  for (const simdjson::dom::element r : raw) {
    SCOPED_TRACE("row " + std::to_string(i));
    const mdp::sdk::Candle& c = rows[i];
    EXPECT_EQ(c.open_time_ms, integer(r["t"]));
    if (interval != "1M") {
      EXPECT_EQ(c.close_time_ms, integer(r["T"])) << "derived close == exchange T";
    }
    EXPECT_LT(c.open_time_ms, c.close_time_ms);
    EXPECT_EQ(c.open, strip_trailing_zeros(text(r["o"])));
    EXPECT_EQ(c.high, strip_trailing_zeros(text(r["h"])));
    EXPECT_EQ(c.low, strip_trailing_zeros(text(r["l"])));
    EXPECT_EQ(c.close, strip_trailing_zeros(text(r["c"])));
    EXPECT_EQ(c.volume, strip_trailing_zeros(text(r["v"])));
    EXPECT_EQ(c.quote_volume, "");
    EXPECT_EQ(c.trades, integer(r["n"]));
    EXPECT_LE(compare_decimal(c.low, c.open), 0);
    EXPECT_LE(compare_decimal(c.low, c.close), 0);
    EXPECT_LE(compare_decimal(c.open, c.high), 0);
    EXPECT_LE(compare_decimal(c.close, c.high), 0);
    EXPECT_GE(compare_decimal(c.volume, "0"), 0);
    if (i > 0) {
      EXPECT_LT(rows[i - 1].open_time_ms, c.open_time_ms);
    }
    ++i;
  }
  counts().candles += rows.size();
}

void check_perp_body(const std::string& body, const hl::TokenTable* tokens, const std::string& where) {
  SCOPED_TRACE(where);
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_perp_meta(body, tokens, out, warnings);
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(body);
  std::size_t universe = 0;
  std::size_t k = 0;
  for (const simdjson::dom::element coin : doc["universe"].get_array()) {
    ++universe;
    const std::string name = text(coin["name"]);
    if (name.find(':') != std::string::npos) continue;  // HIP-3 dex coins: skipped with a warning
    ASSERT_LT(k, out.size());
    const mdp::sdk::Symbol& s = out[k++];
    EXPECT_EQ(s.native_symbol, name);
    EXPECT_EQ(s.base, name);
    const std::int64_t sz = coin["szDecimals"];
    EXPECT_EQ(s.lot_step, hl::lot_step_from_sz_decimals(static_cast<std::int32_t>(sz)));
    EXPECT_EQ(s.price_max_decimals, std::max<std::int64_t>(0, 6 - sz));
    bool delisted = false;
    const auto flag = coin["isDelisted"];
    if (flag.error() == simdjson::SUCCESS && !flag.is_null()) delisted = bool(flag);
    EXPECT_EQ(s.status, delisted ? MDP_SYMBOL_DELISTED : MDP_SYMBOL_TRADING);
    EXPECT_EQ(s.market_type, MDP_MARKET_PERPETUAL);
    EXPECT_EQ(s.contract_size, "1");
    expect_canonical_shape(s);
  }
  EXPECT_EQ(out.size() + warnings.size(), universe) << "every coin is listed or explained";
  expect_unique(out, where);
  counts().symbols += out.size();
}

void check_spot_body(const std::string& body, const std::string& where) {
  SCOPED_TRACE(where);
  std::vector<mdp::sdk::Symbol> out;
  std::vector<std::string> warnings;
  hl::parse_spot_meta(body, out, warnings);
  EXPECT_TRUE(warnings.empty()) << warnings.front();
  simdjson::dom::parser parser;
  const simdjson::dom::element doc = parser.parse(body);
  std::map<std::int64_t, std::pair<std::string, std::int64_t>> tokens;  // by `index`
  for (const simdjson::dom::element t : doc["tokens"].get_array()) {
    tokens[integer(t["index"])] = {text(t["name"]), integer(t["szDecimals"])};
  }
  std::size_t k = 0;
  for (const simdjson::dom::element pair : doc["universe"].get_array()) {
    ASSERT_LT(k, out.size());
    const mdp::sdk::Symbol& s = out[k++];
    const auto refs = pair["tokens"].get_array();
    const auto& base = tokens.at(integer(refs.at(0)));
    const auto& quote = tokens.at(integer(refs.at(1)));
    EXPECT_EQ(s.native_symbol, text(pair["name"]));
    EXPECT_EQ(s.symbol, base.first + "/" + quote.first);
    EXPECT_EQ(s.lot_step, hl::lot_step_from_sz_decimals(static_cast<std::int32_t>(base.second)));
    EXPECT_EQ(s.price_max_decimals, std::max<std::int64_t>(0, 8 - base.second));
    EXPECT_EQ(s.market_type, MDP_MARKET_SPOT);
    EXPECT_EQ(s.status, MDP_SYMBOL_TRADING);
    expect_canonical_shape(s);
    if (s.native_symbol == "@107") {
      EXPECT_EQ(s.symbol, "HYPE/USDC");
    }
    if (s.native_symbol == "@142") {
      EXPECT_EQ(s.symbol, "UBTC/USDC");
    }
  }
  EXPECT_EQ(k, out.size());
  expect_unique(out, where);
  counts().symbols += out.size();
}

}  // namespace

TEST(HyperliquidConformance, EveryRecordedFileIsClassified) {
  REQUIRE_SHARED_FIXTURES(dir);
  for (const std::string& name : files(dir)) {
    EXPECT_NE(classify(name), Kind::Unknown) << name << ": a recorded response this test does not know";
  }
}

TEST(HyperliquidConformance, RecordedListThroughThePlugin) {
  REQUIRE_SHARED_FIXTURES(dir);
  const std::pair<const char*, const char*> combos[] = {
      {"meta_2023-07-17.json", "spotMeta_2025-11-09_slice.json"},
      {"meta_doc_example.json", "spotMeta_2025-08_pretty.json"},
  };
  for (const auto& [meta, spot] : combos) {
    SCOPED_TRACE(meta);
    mdp::testing::ScriptedHost host;
    mdp::testing::ScriptedResponse a, b;
    a.body = read(dir, spot);
    b.body = read(dir, meta);
    host.push(a);
    host.push(b);
    mdp::testing::PluginHarness plugin(hyperliquid_test::plugin_so_path(), host);
    const auto r = plugin.list_symbols();
    ASSERT_EQ(r.status, MDP_OK) << r.message;
    expect_unique(r.symbols, meta);
    std::size_t perps = 0;
    for (const auto& s : r.symbols) {
      expect_canonical_shape(s);
      perps += s.market_type == MDP_MARKET_PERPETUAL ? 1 : 0;
    }
    if (std::string(meta) == "meta_2023-07-17.json") {
      EXPECT_EQ(perps, 28u);
      EXPECT_EQ(r.symbols.size(), 28u + 233u);
    }
    std::cout << "[conformance] list_symbols " << meta << " + " << spot << ": " << r.symbols.size()
              << " symbols (" << perps << " perpetual), all unique\n";
  }
}

TEST(HyperliquidConformance, RecordedCandlePageThroughThePlugin) {
  REQUIRE_SHARED_FIXTURES(dir);
  for (const std::string& name : files(dir)) {
    if (classify(name) != Kind::Candles) continue;
    SCOPED_TRACE(name);
    const std::string body = read(dir, name);
    simdjson::dom::parser parser;
    const simdjson::dom::array raw = parser.parse(body).get_array();
    std::string coin = text((*raw.begin())["s"]);
    std::string interval = text((*raw.begin())["i"]);
    std::int64_t start = (*raw.begin())["t"];
    std::int64_t end = 0;
    for (const auto r : raw) end = integer(r["T"]) + 1;
    const std::string request_name = name.substr(0, name.size() - 5) + ".request.json";
    simdjson::dom::parser request_parser;
    simdjson::padded_string request_text;
    const bool has_request = fs::exists(dir + "/" + request_name);
    if (has_request) {
      request_text = simdjson::padded_string(read(dir, request_name));
      const auto req = request_parser.parse(request_text)["req"];
      coin = text(req["coin"]);
      interval = text(req["interval"]);
      start = req["startTime"];
      end = integer(req["endTime"]) + 1;  // the recorded endTime is inclusive
    }
    mdp::testing::ScriptedHost host;
    host.set_now_ms(end + 2 * 86'400'000);
    mdp::testing::ScriptedResponse response;
    response.body = body;
    host.push(response);
    mdp::testing::PluginHarness plugin(hyperliquid_test::plugin_so_path(), host);
    const auto r = plugin.fetch_candles(coin, interval, start, end, 5000);
    ASSERT_EQ(r.status, MDP_OK) << r.message;
    if (has_request) {
      // Our request carries the same coin/interval/startTime/endTime as the recorded one.
      simdjson::dom::parser ours;
      const auto sent = ours.parse(host.requests()[0].body);
      const auto recorded = request_parser.parse(request_text);
      EXPECT_EQ(std::string_view(sent["type"]), std::string_view(recorded["type"]));
      EXPECT_EQ(std::string_view(sent["req"]["coin"]), std::string_view(recorded["req"]["coin"]));
      EXPECT_EQ(std::string_view(sent["req"]["interval"]), std::string_view(recorded["req"]["interval"]));
      EXPECT_EQ(integer(sent["req"]["startTime"]), integer(recorded["req"]["startTime"]));
      EXPECT_EQ(integer(sent["req"]["endTime"]), integer(recorded["req"]["endTime"]));
    }
    std::size_t inside = 0;
    for (const auto row : raw) {
      const std::int64_t t = row["t"];
      inside += (t >= start && t < end) ? 1 : 0;
    }
    EXPECT_EQ(r.candles.size(), inside) << "rows outside [start, end) dropped, all others kept";
    for (std::size_t i = 0; i < r.candles.size(); ++i) {
      EXPECT_GE(r.candles[i].open_time_ms, start);
      EXPECT_LT(r.candles[i].open_time_ms, end);
      EXPECT_TRUE(r.candles[i].closed);
      if (i > 0) {
        EXPECT_LT(r.candles[i - 1].open_time_ms, r.candles[i].open_time_ms);
      }
    }
    EXPECT_EQ(r.page.next_start_ms, -1);
    EXPECT_EQ(r.page.available_from_ms, -1);
    std::cout << "[conformance] fetch_candles " << name << ": " << r.candles.size() << " of " << raw.size()
              << " rows inside [" << start << ", " << end << ")\n";
  }
}

TEST(HyperliquidConformance, EveryRecordedResponseParsesWithTheInvariants) {
  REQUIRE_SHARED_FIXTURES(dir);
  // The collateral tokens of the HIP-3 sample (nautilus_allPerpMetas) come from the nautilus
  // spotMeta stub, which lists exactly those tokens.
  hl::TokenTable tokens;
  {
    std::vector<mdp::sdk::Symbol> ignored;
    std::vector<std::string> warnings;
    hl::parse_spot_meta(read(dir, "nautilus_spotMeta.json"), ignored, warnings, &tokens);
  }
  Counts& c = counts();
  std::size_t requests = 0;
  for (const std::string& name : files(dir)) {
    const Kind kind = classify(name);
    if (kind == Kind::Request || kind == Kind::Unknown) {
      requests += kind == Kind::Request ? 1 : 0;
      continue;
    }
    ++c.files;
    if (kind == Kind::Candles) {
      check_candles(dir, name);
      continue;
    }
    const std::string text = read(dir, name);
    std::size_t part = 0;
    for (const std::string& body : bodies_of(name, text, kind)) {
      const std::string where = name + "#" + std::to_string(part++);
      if (kind == Kind::Spot) {
        check_spot_body(body, where);
      } else {
        check_perp_body(body, &tokens, where);
      }
    }
  }
  EXPECT_GT(c.candles, 0u);
  EXPECT_GT(c.symbols, 0u);
  std::cout << "[conformance] hyperliquid: " << c.files << " recorded responses (+" << requests
            << " recorded requests): " << c.symbols << " symbols and " << c.candles << " candles checked\n";
}
