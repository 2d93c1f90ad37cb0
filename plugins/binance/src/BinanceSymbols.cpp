// GET /fapi/v1/exchangeInfo -> canonical symbols. See plugins/binance/README.md for every
// derivation rule; the short version is next to each piece of code below.
#include "BinanceJson.hpp"
#include "BinanceParsers.hpp"

#include <unordered_map>
#include <utility>

namespace mdp::binance {

using detail::protocol_error;
using detail::type_name;
using sdk::Symbol;

std::int32_t map_status(std::string_view s) {
  if (s == "TRADING") return MDP_SYMBOL_TRADING;
  if (s == "PENDING_TRADING") return MDP_SYMBOL_PRE_TRADING;
  if (s == "PRE_DELIVERING" || s == "DELIVERING" || s == "PRE_SETTLE" || s == "SETTLING") {
    return MDP_SYMBOL_SETTLING;
  }
  if (s == "DELIVERED" || s == "CLOSE") return MDP_SYMBOL_DELISTED;
  // Anything else (TRADING_HALT seen by SDK authors, a new status, "") is not tradable
  // and not known to be gone: halted, with the text kept in native_status.
  return MDP_SYMBOL_HALTED;
}

namespace {

// Contract kinds Binance documents as dated (delivery) contracts.
bool is_dated_kind(std::string_view kind) {
  return kind == "CURRENT_QUARTER" || kind == "NEXT_QUARTER" || kind == "CURRENT_MONTH" ||
         kind == "NEXT_MONTH";
}

// PERPETUAL, TRADIFI_PERPETUAL, PERPETUAL_DELIVERING (doc enum) and any future *PERPETUAL* kind.
bool is_perpetual_kind(std::string_view kind) { return kind.find("PERPETUAL") != std::string_view::npos; }

struct Context {
  std::size_t index;
  std::string_view native;  // "" until the symbol field was read
  std::string where() const {
    std::string w = "exchangeInfo symbols[" + std::to_string(index) + "]";
    if (!native.empty()) {
      w += " (";
      w += native;
      w += ')';
    }
    return w;
  }
};

std::string_view string_field(const simdjson::dom::element& value, const Context& ctx, const char* field) {
  std::string_view out;
  if (value.get_string().get(out) != simdjson::SUCCESS) {
    protocol_error(ctx.where() + ": field '" + field + "' is a " + type_name(value) + ", expected a string");
  }
  return out;
}

std::int64_t int_field(const simdjson::dom::element& value, const Context& ctx, const char* field) {
  std::int64_t out = 0;
  if (value.get_int64().get(out) != simdjson::SUCCESS) {
    protocol_error(ctx.where() + ": field '" + field + "' is a " + type_name(value) +
                   (value.is_number() ? " that is not an int64" : "") + ", expected an integer (ms)");
  }
  return out;
}

std::string decimal_field(const simdjson::dom::element& value, const Context& ctx, const char* filter,
                          const char* field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    protocol_error(ctx.where() + ": " + filter + "." + field + " is a " + type_name(value) +
                   ", expected a decimal string");
  }
  std::string out;
  if (!mdp::assign_canonical_decimal(text, out)) {
    protocol_error(ctx.where() + ": " + filter + "." + field + " is not a decimal: '" + detail::snippet(text) +
                   "'");
  }
  return out;
}

void read_filters(const simdjson::dom::element& value, const Context& ctx, Symbol& s) {
  simdjson::dom::array filters;
  if (value.get_array().get(filters) != simdjson::SUCCESS) {
    protocol_error(ctx.where() + ": field 'filters' is a " + type_name(value) + ", expected an array");
  }
  std::size_t i = 0;
  for (simdjson::dom::element f : filters) {
    simdjson::dom::object obj;
    if (f.get_object().get(obj) != simdjson::SUCCESS) {
      protocol_error(ctx.where() + ": filters[" + std::to_string(i) + "] is a " + type_name(f) +
                     ", expected an object");
    }
    std::string_view type;
    simdjson::dom::element type_value;
    if (obj["filterType"].get(type_value) != simdjson::SUCCESS ||
        type_value.get_string().get(type) != simdjson::SUCCESS) {
      protocol_error(ctx.where() + ": filters[" + std::to_string(i) + "] has no string 'filterType'");
    }
    // Key order inside a filter varies between symbols and captures: look keys up by name.
    if (type == "PRICE_FILTER") {
      for (auto kv : obj) {
        if (kv.key == "tickSize") s.tick_size = decimal_field(kv.value, ctx, "PRICE_FILTER", "tickSize");
      }
    } else if (type == "LOT_SIZE") {
      for (auto kv : obj) {
        if (kv.key == "stepSize") {
          s.lot_step = decimal_field(kv.value, ctx, "LOT_SIZE", "stepSize");
        } else if (kv.key == "minQty") {
          s.min_qty = decimal_field(kv.value, ctx, "LOT_SIZE", "minQty");
        }
      }
    } else if (type == "MIN_NOTIONAL") {
      for (auto kv : obj) {
        if (kv.key == "notional") s.min_notional = decimal_field(kv.value, ctx, "MIN_NOTIONAL", "notional");
      }
    }
    ++i;
  }
}

Symbol parse_symbol(const simdjson::dom::element& entry, std::size_t index) {
  Context ctx{index, {}};
  simdjson::dom::object obj;
  if (entry.get_object().get(obj) != simdjson::SUCCESS) {
    protocol_error(ctx.where() + " is a " + std::string(type_name(entry)) + ", expected an object");
  }
  Symbol s;
  bool has_native = false, has_status = false, has_base = false, has_quote = false, has_margin = false;
  std::string_view kind;  // absent contractType reads as "" (unknown kind)
  std::int64_t delivery = -1;
  bool has_delivery = false;
  // The symbol id is read first so that every later message can name it.
  simdjson::dom::element symbol_value;
  if (obj["symbol"].get(symbol_value) == simdjson::SUCCESS) {
    ctx.native = string_field(symbol_value, ctx, "symbol");
    if (ctx.native.empty()) protocol_error(ctx.where() + ": field 'symbol' is empty");
    s.native_symbol.assign(ctx.native.data(), ctx.native.size());
    has_native = true;
  }
  for (auto kv : obj) {
    const std::string_view key = kv.key;
    if (key == "contractType") {
      kind = string_field(kv.value, ctx, "contractType");
    } else if (key == "deliveryDate") {
      delivery = int_field(kv.value, ctx, "deliveryDate");
      has_delivery = true;
    } else if (key == "onboardDate") {
      s.listed_at_ms = int_field(kv.value, ctx, "onboardDate");
    } else if (key == "status") {
      const std::string_view status = string_field(kv.value, ctx, "status");
      s.native_status.assign(status.data(), status.size());
      s.status = map_status(status);
      has_status = true;
    } else if (key == "baseAsset") {
      const std::string_view v = string_field(kv.value, ctx, "baseAsset");
      s.base.assign(v.data(), v.size());
      has_base = !v.empty();
    } else if (key == "quoteAsset") {
      const std::string_view v = string_field(kv.value, ctx, "quoteAsset");
      s.quote.assign(v.data(), v.size());
      has_quote = !v.empty();
    } else if (key == "marginAsset") {
      const std::string_view v = string_field(kv.value, ctx, "marginAsset");
      s.settle.assign(v.data(), v.size());
      has_margin = !v.empty();
    } else if (key == "filters") {
      read_filters(kv.value, ctx, s);
    }
  }
  if (!has_native) protocol_error(ctx.where() + ": required field 'symbol' is missing");
  if (!has_status) protocol_error(ctx.where() + ": required field 'status' is missing");
  if (!has_base) protocol_error(ctx.where() + ": required field 'baseAsset' is missing or empty");
  if (!has_quote) protocol_error(ctx.where() + ": required field 'quoteAsset' is missing or empty");
  if (!has_margin) protocol_error(ctx.where() + ": required field 'marginAsset' is missing or empty");

  // Market type: *PERPETUAL* kinds are perpetual even when deliveryDate is a real date (a
  // delisted perpetual gets its delisting time there); documented dated kinds are dated;
  // any other kind ("" on BTCSTUSDT, a new one) is dated when deliveryDate is a real
  // date (before 2100) and perpetual otherwise (ccxt's rule).
  bool dated;
  if (is_perpetual_kind(kind)) {
    dated = false;
  } else if (is_dated_kind(kind)) {
    if (!has_delivery) {
      protocol_error(ctx.where() + ": contractType " + std::string(kind) + " without 'deliveryDate'");
    }
    dated = true;
  } else {
    dated = has_delivery && delivery < kNoDeliveryFromMs;
  }

  s.contract_size = "1";  // linear USD-M contracts: one contract = one unit of the base asset
  s.symbol.reserve(s.base.size() + s.quote.size() + s.settle.size() + 9);
  s.symbol = s.base;
  s.symbol += '/';
  s.symbol += s.quote;
  s.symbol += ':';
  s.symbol += s.settle;
  if (dated) {
    s.market_type = MDP_MARKET_FUTURE;
    s.delivery_at_ms = delivery;
    s.symbol += '-';
    s.symbol += utc_yymmdd(delivery);
  } else {
    s.market_type = MDP_MARKET_PERPETUAL;
    s.delivery_at_ms = -1;
  }
  return s;
}

// Lower is better when two entries claim one canonical symbol.
int rank(const Symbol& s) {
  int r = s.status == MDP_SYMBOL_TRADING ? 0 : s.status == MDP_SYMBOL_PRE_TRADING ? 2 : 4;
  std::string natural = s.base + s.quote;
  if (s.market_type == MDP_MARKET_FUTURE) natural += "_" + utc_yymmdd(s.delivery_at_ms);
  if (s.native_symbol != natural) r += 1;
  return r;
}

// Keeps every market: the best entry of a group sharing one canonical symbol keeps the plain
// form, every other one becomes "<canonical>~<native>" (the contract's collision suffix). The
// best is chosen by rank, then by the smaller native id, so listing order does not matter.
void make_unique(std::vector<Symbol>& symbols, std::vector<std::string>* renamed) {
  std::unordered_map<std::string_view, std::size_t> best;  // views into symbols[i].symbol
  best.reserve(symbols.size() * 2);
  bool any = false;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    auto [it, inserted] = best.emplace(symbols[i].symbol, i);
    if (inserted) continue;
    any = true;
    const std::size_t j = it->second;
    const int ri = rank(symbols[i]), rj = rank(symbols[j]);
    if (ri < rj || (ri == rj && symbols[i].native_symbol < symbols[j].native_symbol)) {
      it->second = i;  // the key view points into symbols[j].symbol, unchanged and alive
    }
  }
  if (!any) return;
  std::vector<std::size_t> winner(symbols.size());
  for (std::size_t i = 0; i < symbols.size(); ++i) winner[i] = best.at(symbols[i].symbol);
  best.clear();  // the symbols change below: drop the views first
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    if (winner[i] == i) continue;
    Symbol& loser = symbols[i];
    const Symbol& kept = symbols[winner[i]];
    if (renamed != nullptr) {
      renamed->push_back(loser.native_symbol + " (" + loser.native_status + ") maps to " + loser.symbol +
                         " like " + kept.native_symbol + " (" + kept.native_status + "), which keeps it; listed as " +
                         loser.symbol + "~" + loser.native_symbol);
    }
    loser.symbol += '~';
    loser.symbol += loser.native_symbol;
  }
}

}  // namespace

std::vector<Symbol> parse_exchange_info(std::string_view body, std::vector<std::string>* renamed) {
  const simdjson::dom::element root = detail::parse_or_throw(body, "exchangeInfo");
  simdjson::dom::object top;
  if (root.get_object().get(top) != simdjson::SUCCESS) {
    protocol_error(std::string("exchangeInfo body is a ") + type_name(root) + ", expected an object");
  }
  simdjson::dom::element symbols_value;
  if (top["symbols"].get(symbols_value) != simdjson::SUCCESS) {
    protocol_error("exchangeInfo: required field 'symbols' is missing");
  }
  simdjson::dom::array list;
  if (symbols_value.get_array().get(list) != simdjson::SUCCESS) {
    protocol_error(std::string("exchangeInfo: field 'symbols' is a ") + type_name(symbols_value) +
                   ", expected an array");
  }
  std::vector<Symbol> out;
  out.reserve(list.size());
  std::size_t index = 0;
  for (simdjson::dom::element entry : list) out.push_back(parse_symbol(entry, index++));
  make_unique(out, renamed);
  return out;
}

}  // namespace mdp::binance
