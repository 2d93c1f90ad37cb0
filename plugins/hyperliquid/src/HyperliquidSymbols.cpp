// meta / spotMeta bodies → canonical symbol rows.
#include "HyperliquidJson.hpp"
#include "HyperliquidParsers.hpp"

#include <algorithm>
#include <unordered_set>

namespace mdp::hyperliquid {

namespace {

constexpr std::string_view kMeta = "meta";
constexpr std::string_view kSpotMeta = "spotMeta";
constexpr std::int64_t kMaxSzDecimals = 30;  // far above anything served (0..8 seen)
constexpr std::int32_t kPerpMaxDecimals = 6;
constexpr std::int32_t kSpotMaxDecimals = 8;
constexpr std::int32_t kPriceSigFigs = 5;
constexpr std::int64_t kUsdcTokenIndex = 0;

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Field access with messages naming the path, e.g. "universe[3].szDecimals".
struct Path {
  std::string_view what;
  std::string prefix;  // "universe[3]"

  [[noreturn]] void fail(std::string_view field, const std::string& message) const {
    detail::protocol_error(what, prefix + "." + std::string(field) + ": " + message);
  }
  // Required field of any type.
  element required(const object& obj, std::string_view field) const {
    element value;
    if (obj.at_key(field).get(value) != simdjson::SUCCESS) fail(field, "missing");
    return value;
  }
  std::string_view string(const object& obj, std::string_view field) const {
    const element value = required(obj, field);
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) {
      fail(field, std::string("must be a string, got ") + detail::type_name(value));
    }
    return text;
  }
  std::int64_t integer(const element& value, std::string_view field) const {
    std::int64_t out = 0;
    if (value.get_int64().get(out) != simdjson::SUCCESS) {
      fail(field, std::string("must be an integer, got ") + detail::type_name(value));
    }
    return out;
  }
  std::int64_t integer(const object& obj, std::string_view field) const {
    return integer(required(obj, field), field);
  }
  std::int32_t sz_decimals(const object& obj) const {
    const std::int64_t sz = integer(obj, "szDecimals");
    if (sz < 0 || sz > kMaxSzDecimals) fail("szDecimals", "out of range: " + std::to_string(sz));
    return static_cast<std::int32_t>(sz);
  }
  // Optional flag: absent or null → false; otherwise must be a boolean.
  bool flag(const object& obj, std::string_view field) const {
    element value;
    if (obj.at_key(field).get(value) != simdjson::SUCCESS || value.is_null()) return false;
    bool out = false;
    if (value.get_bool().get(out) != simdjson::SUCCESS) {
      fail(field, std::string("must be a boolean, got ") + detail::type_name(value));
    }
    return out;
  }
};

object root_object(const element& doc, std::string_view what) {
  object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    detail::protocol_error(what, std::string("expected a JSON object, got ") + detail::type_name(doc));
  }
  return root;
}

array root_array(const object& root, std::string_view what, std::string_view field) {
  element value;
  if (root.at_key(field).get(value) != simdjson::SUCCESS) {
    detail::protocol_error(what, "missing field '" + std::string(field) + "'");
  }
  array out;
  if (value.get_array().get(out) != simdjson::SUCCESS) {
    detail::protocol_error(what, "field '" + std::string(field) + "' must be an array, got " +
                                     detail::type_name(value));
  }
  return out;
}

// A name usable as one side of a canonical symbol: non-empty, no separator of the canonical
// grammar ('/', ':', and '~' which starts a collision suffix), no space/control char.
bool usable_asset_name(std::string_view name) {
  if (name.empty()) return false;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f || ch == '/' || ch == ':' || ch == '~') return false;
  }
  return true;
}

std::int32_t price_max_decimals(std::int32_t max_decimals, std::int32_t sz_decimals) {
  return sz_decimals >= max_decimals ? 0 : max_decimals - sz_decimals;
}

struct SpotCandidate {
  sdk::Symbol symbol;
  std::int64_t pair_index = 0;
  bool named = false;  // a readable pair name such as "PURR/USDC" (not "@N")
};

}  // namespace

void parse_spot_meta(std::string_view body, std::vector<sdk::Symbol>& out, std::vector<std::string>& warnings,
                     TokenTable* tokens_out) {
  const element doc = detail::parse_json(body, kSpotMeta);
  const object root = root_object(doc, kSpotMeta);

  // Token table, keyed by each token's own `index` field (array position is not the index).
  TokenTable tokens;
  std::unordered_set<std::int64_t> ambiguous;  // an index served twice: pairs using it are skipped
  std::size_t position = 0;
  for (const element item : root_array(root, kSpotMeta, "tokens")) {
    const Path path{kSpotMeta, "tokens[" + std::to_string(position++) + "]"};
    object token;
    if (item.get_object().get(token) != simdjson::SUCCESS) {
      detail::protocol_error(kSpotMeta, path.prefix + ": expected an object, got " + detail::type_name(item));
    }
    SpotToken entry;
    entry.name = std::string(path.string(token, "name"));
    entry.sz_decimals = path.sz_decimals(token);
    const std::int64_t index = path.integer(token, "index");
    if (!tokens.emplace(index, std::move(entry)).second) {
      ambiguous.insert(index);
      warnings.push_back("spotMeta: token index " + std::to_string(index) +
                         " appears more than once; pairs using it are skipped");
    }
  }

  std::vector<SpotCandidate> candidates;
  std::unordered_set<std::string> natives;
  position = 0;
  for (const element item : root_array(root, kSpotMeta, "universe")) {
    const Path path{kSpotMeta, "universe[" + std::to_string(position++) + "]"};
    object pair;
    if (item.get_object().get(pair) != simdjson::SUCCESS) {
      detail::protocol_error(kSpotMeta, path.prefix + ": expected an object, got " + detail::type_name(item));
    }
    const std::string_view name = path.string(pair, "name");
    const std::int64_t pair_index = path.integer(pair, "index");
    const element token_refs_value = path.required(pair, "tokens");
    array token_refs;
    if (token_refs_value.get_array().get(token_refs) != simdjson::SUCCESS) {
      path.fail("tokens", std::string("must be an array, got ") + detail::type_name(token_refs_value));
    }
    if (token_refs.size() != 2) {
      path.fail("tokens", "must hold [baseTokenIndex, quoteTokenIndex], got " + std::to_string(token_refs.size()) +
                              " entries");
    }
    element base_value;
    element quote_value;
    if (token_refs.at(0).get(base_value) != simdjson::SUCCESS ||
        token_refs.at(1).get(quote_value) != simdjson::SUCCESS) {
      path.fail("tokens", "unreadable entries");
    }
    const std::int64_t base_ref = path.integer(base_value, "tokens[0]");
    const std::int64_t quote_ref = path.integer(quote_value, "tokens[1]");
    path.flag(pair, "isCanonical");  // type-checked only

    // From here on a problem is a bad cross-reference in this one pair: skip it, keep the rest.
    const std::string label = "spotMeta: skipped pair '" + detail::snippet(name) + "' (index " +
                              std::to_string(pair_index) + "): ";
    if (name.empty()) {
      warnings.push_back(label + "empty name");
      continue;
    }
    const auto base = tokens.find(base_ref);
    const auto quote = tokens.find(quote_ref);
    if (base == tokens.end() || quote == tokens.end()) {
      warnings.push_back(label + "token index " + std::to_string(base == tokens.end() ? base_ref : quote_ref) +
                         " is not in tokens[]");
      continue;
    }
    if (ambiguous.count(base_ref) != 0 || ambiguous.count(quote_ref) != 0) {
      warnings.push_back(label + "its token index is ambiguous");
      continue;
    }
    if (!usable_asset_name(base->second.name) || !usable_asset_name(quote->second.name)) {
      warnings.push_back(label + "token name '" +
                         detail::snippet(usable_asset_name(base->second.name) ? quote->second.name
                                                                              : base->second.name) +
                         "' cannot form a canonical symbol");
      continue;
    }
    if (!natives.insert(std::string(name)).second) {
      warnings.push_back(label + "its name repeats an earlier pair");
      continue;
    }
    SpotCandidate candidate;
    candidate.pair_index = pair_index;
    candidate.named = name[0] != '@';
    sdk::Symbol& s = candidate.symbol;
    s.native_symbol = std::string(name);
    s.market_type = MDP_MARKET_SPOT;
    s.status = MDP_SYMBOL_TRADING;
    s.native_status = "listed";
    s.base = base->second.name;
    s.quote = quote->second.name;
    s.symbol = s.base + "/" + s.quote;
    s.tick_size = "";
    s.lot_step = lot_step_from_sz_decimals(base->second.sz_decimals);
    s.price_max_decimals = price_max_decimals(kSpotMaxDecimals, base->second.sz_decimals);
    s.price_max_sig_figs = kPriceSigFigs;
    candidates.push_back(std::move(candidate));
  }

  // Several pairs may map to one BASE/QUOTE. The one with a readable name wins, then the
  // lowest pair index; every other becomes "BASE/QUOTE~<native symbol>" (CONTRACT.md: the
  // strict form, '~', the row's own native symbol, e.g. "HYPE/USDC~@230"). Independent of order.
  std::unordered_map<std::string, std::size_t> primary;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const auto [it, inserted] = primary.emplace(candidates[i].symbol.symbol, i);
    if (inserted) continue;
    const SpotCandidate& current = candidates[it->second];
    const SpotCandidate& challenger = candidates[i];
    if ((challenger.named && !current.named) ||
        (challenger.named == current.named && challenger.pair_index < current.pair_index)) {
      it->second = i;
    }
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    sdk::Symbol& s = candidates[i].symbol;
    if (primary.at(s.symbol) != i) {
      warnings.push_back("spotMeta: pair '" + s.native_symbol + "' maps to " + s.symbol +
                         " like another pair; listed as " + s.symbol + "~" + s.native_symbol);
      s.symbol += "~" + s.native_symbol;
    }
  }
  std::vector<sdk::Symbol> pairs;
  pairs.reserve(candidates.size());
  for (SpotCandidate& c : candidates) pairs.push_back(std::move(c.symbol));
  drop_duplicate_symbols(pairs, warnings);  // only bites when pair indexes repeat
  out.reserve(out.size() + pairs.size());
  for (sdk::Symbol& s : pairs) out.push_back(std::move(s));
  if (tokens_out != nullptr) *tokens_out = std::move(tokens);
}

void parse_perp_meta(std::string_view body, const TokenTable* tokens, std::vector<sdk::Symbol>& out,
                     std::vector<std::string>& warnings) {
  const element doc = detail::parse_json(body, kMeta);
  const object root = root_object(doc, kMeta);

  std::string settle = "USDC";
  element collateral;
  if (root.at_key("collateralToken").get(collateral) == simdjson::SUCCESS && !collateral.is_null()) {
    const std::int64_t index = Path{kMeta, "meta"}.integer(collateral, "collateralToken");
    if (index != kUsdcTokenIndex) {
      const SpotToken* token = nullptr;
      if (tokens != nullptr) {
        const auto it = tokens->find(index);
        if (it != tokens->end() && usable_asset_name(it->second.name)) token = &it->second;
      }
      if (token == nullptr) {
        detail::protocol_error(kMeta, "collateralToken " + std::to_string(index) +
                                          " is not a known spot token, cannot name the settle asset");
      }
      settle = token->name;
    }
  }

  std::unordered_set<std::string> names;
  std::size_t position = 0;
  for (const element item : root_array(root, kMeta, "universe")) {
    const Path path{kMeta, "universe[" + std::to_string(position) + "]"};
    object coin;
    if (item.get_object().get(coin) != simdjson::SUCCESS) {
      detail::protocol_error(kMeta, path.prefix + ": expected an object, got " + detail::type_name(item));
    }
    const std::string_view name = path.string(coin, "name");
    const std::int32_t sz = path.sz_decimals(coin);
    const bool delisted = path.flag(coin, "isDelisted");
    const bool only_isolated = path.flag(coin, "onlyIsolated");
    const std::string label = "meta: skipped coin '" + detail::snippet(name) + "' (asset " +
                              std::to_string(position) + "): ";
    ++position;
    if (!usable_asset_name(name)) {
      warnings.push_back(label + "the name cannot form a canonical symbol (HIP-3 'dex:COIN' names are not listed)");
      continue;
    }
    if (!names.insert(std::string(name)).second) {
      warnings.push_back(label + "the name repeats an earlier coin");
      continue;
    }
    sdk::Symbol& s = out.emplace_back();
    s.native_symbol = std::string(name);
    s.market_type = MDP_MARKET_PERPETUAL;
    s.status = delisted ? MDP_SYMBOL_DELISTED : MDP_SYMBOL_TRADING;
    s.native_status = delisted ? "delisted" : "listed";
    if (only_isolated) s.native_status += ";onlyIsolated";
    s.base = s.native_symbol;
    s.quote = settle;
    s.settle = settle;
    s.symbol = s.base + "/" + s.quote + ":" + s.settle;
    s.tick_size = "";
    s.lot_step = lot_step_from_sz_decimals(sz);
    s.contract_size = "1";
    s.price_max_decimals = price_max_decimals(kPerpMaxDecimals, sz);
    s.price_max_sig_figs = kPriceSigFigs;
  }
}

void drop_duplicate_symbols(std::vector<sdk::Symbol>& symbols, std::vector<std::string>& warnings) {
  std::unordered_set<std::string> canonical;
  std::unordered_set<std::string> native;
  canonical.reserve(symbols.size());
  native.reserve(symbols.size());
  std::vector<sdk::Symbol> kept;
  kept.reserve(symbols.size());
  for (sdk::Symbol& s : symbols) {
    if (canonical.count(s.symbol) != 0) {
      warnings.push_back("dropped duplicate canonical symbol " + s.symbol + " (native " + s.native_symbol + ")");
      continue;
    }
    if (native.count(s.native_symbol) != 0) {
      warnings.push_back("dropped duplicate native symbol " + s.native_symbol + " (" + s.symbol + ")");
      continue;
    }
    canonical.insert(s.symbol);
    native.insert(s.native_symbol);
    kept.push_back(std::move(s));
  }
  symbols = std::move(kept);
}

std::vector<sdk::Symbol> build_symbol_list(std::string_view meta_body, std::string_view spot_meta_body,
                                           std::vector<std::string>& warnings) {
  std::vector<sdk::Symbol> spot;
  TokenTable tokens;
  parse_spot_meta(spot_meta_body, spot, warnings, &tokens);
  std::vector<sdk::Symbol> all;
  parse_perp_meta(meta_body, &tokens, all, warnings);
  all.reserve(all.size() + spot.size());
  for (sdk::Symbol& s : spot) all.push_back(std::move(s));
  drop_duplicate_symbols(all, warnings);
  return all;
}

}  // namespace mdp::hyperliquid
