// Products: GET /api/v3/brokerage/market/products -> canonical symbols.
// README.md ("How every canonical field is derived") is the specification of this file.
#include "CoinbaseParsers.hpp"

#include "CoinbaseJson.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

namespace mdp::coinbase {

namespace {

namespace od = json::od;
using json::Kind;

constexpr std::string_view kWhat = "products response";

struct RawFuture {
  bool present = false;
  std::string contract_size;  // canonical decimal or ""
  std::string contract_expiry;
  std::string contract_expiry_type;
  std::string contract_root_unit;
};

// The product fields this plugin reads, after type checks (decimals already canonical).
struct RawProduct {
  std::string product_id, product_type, status;
  std::string base_currency_id, quote_currency_id, base_display_symbol, quote_display_symbol;
  std::string alias;
  std::vector<std::string> alias_to;
  std::string price_increment, quote_increment, base_increment, base_min_size, quote_min_size;
  bool trading_disabled = false, is_disabled = false, cancel_only = false, limit_only = false,
       post_only = false, auction_mode = false, view_only = false;
  std::string new_at;
  RawFuture future;
};

// Where we are, for messages: "products[3] (BTC-USD)".
struct Where {
  std::string_view list;  // "products" or "product"
  std::size_t index;
  const std::string* product_id;

  std::string text() const {
    std::string out(list);
    if (list == "products") out += "[" + std::to_string(index) + "]";
    if (product_id != nullptr && !product_id->empty()) out += " (" + *product_id + ")";
    return out;
  }
};

[[noreturn]] void fail(const Where& where, const std::string& message) {
  json::protocol_error(std::string(kWhat) + ": " + where.text() + message);
}

[[noreturn]] void wrong_type(const Where& where, std::string_view field, std::string_view expected,
                             od::value& value) {
  std::string_view text;
  const Kind kind = json::scalar_token(value, text);
  fail(where, "." + std::string(field) + ": expected " + std::string(expected) + ", got " + json::kind_name(kind));
}

od::json_type type_of(od::value& value) {
  od::json_type type;
  if (auto code = value.type().get(type)) json::json_error(kWhat, code);
  return type;
}

// String or null (null -> "").
void read_string(od::value& value, const Where& where, std::string_view field, std::string& out) {
  const od::json_type type = type_of(value);
  if (type == od::json_type::null) {
    out.clear();
    return;
  }
  if (type != od::json_type::string) wrong_type(where, field, "a string", value);
  std::string_view text;
  if (auto code = value.get_string().get(text)) json::json_error(kWhat, code);
  out.assign(text);
}

// Decimal as a JSON string or number; "" or null -> "" (absent).
void read_decimal(od::value& value, const Where& where, std::string_view field, std::string& out) {
  std::string_view text;
  const Kind kind = json::scalar_token(value, text);
  if (kind == Kind::Null || (kind == Kind::String && text.empty())) {
    out.clear();
    return;
  }
  if (kind != Kind::String && kind != Kind::Number) {
    fail(where, "." + std::string(field) + ": expected a decimal string, got " + json::kind_name(kind));
  }
  if (!mdp::assign_canonical_decimal(text, out)) {
    fail(where, "." + std::string(field) + ": not a decimal: '" + json::excerpt(text) + "'");
  }
}

// Boolean or null (null -> false).
void read_bool(od::value& value, const Where& where, std::string_view field, bool& out) {
  const od::json_type type = type_of(value);
  if (type == od::json_type::null) {
    out = false;
    return;
  }
  if (type != od::json_type::boolean) wrong_type(where, field, "a boolean", value);
  if (auto code = value.get_bool().get(out)) json::json_error(kWhat, code);
}

void read_string_array(od::value& value, const Where& where, std::string_view field,
                       std::vector<std::string>& out) {
  out.clear();
  const od::json_type type = type_of(value);
  if (type == od::json_type::null) return;
  if (type != od::json_type::array) wrong_type(where, field, "an array of strings", value);
  od::array array;
  if (auto code = value.get_array().get(array)) json::json_error(kWhat, code);
  for (auto element_result : array) {
    od::value element;
    if (auto code = std::move(element_result).get(element)) json::json_error(kWhat, code);
    std::string text;
    read_string(element, where, std::string(field) + "[]", text);
    if (!text.empty()) out.push_back(std::move(text));
  }
}

void read_future(od::value& value, const Where& where, RawFuture& out) {
  const od::json_type type = type_of(value);
  if (type == od::json_type::null) return;
  if (type != od::json_type::object) wrong_type(where, "future_product_details", "an object", value);
  od::object object;
  if (auto code = value.get_object().get(object)) json::json_error(kWhat, code);
  out.present = true;
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) json::json_error(kWhat, code);
    od::value& v = field.value();
    if (key == "contract_size") read_decimal(v, where, "future_product_details.contract_size", out.contract_size);
    else if (key == "contract_expiry") read_string(v, where, "future_product_details.contract_expiry", out.contract_expiry);
    else if (key == "contract_expiry_type") read_string(v, where, "future_product_details.contract_expiry_type", out.contract_expiry_type);
    else if (key == "contract_root_unit") read_string(v, where, "future_product_details.contract_root_unit", out.contract_root_unit);
  }
}

void read_product_fields(od::object object, Where where, RawProduct& p) {
  where.product_id = &p.product_id;
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) json::json_error(kWhat, code);
    od::value& v = field.value();
    // Ordered roughly as Coinbase sends them; unknown keys (ticker and UI fields) are skipped.
    if (key == "product_id") read_string(v, where, key, p.product_id);
    else if (key == "base_increment") read_decimal(v, where, key, p.base_increment);
    else if (key == "quote_increment") read_decimal(v, where, key, p.quote_increment);
    else if (key == "quote_min_size") read_decimal(v, where, key, p.quote_min_size);
    else if (key == "base_min_size") read_decimal(v, where, key, p.base_min_size);
    else if (key == "is_disabled") read_bool(v, where, key, p.is_disabled);
    else if (key == "status") read_string(v, where, key, p.status);
    else if (key == "cancel_only") read_bool(v, where, key, p.cancel_only);
    else if (key == "limit_only") read_bool(v, where, key, p.limit_only);
    else if (key == "post_only") read_bool(v, where, key, p.post_only);
    else if (key == "trading_disabled") read_bool(v, where, key, p.trading_disabled);
    else if (key == "auction_mode") read_bool(v, where, key, p.auction_mode);
    else if (key == "product_type") read_string(v, where, key, p.product_type);
    else if (key == "quote_currency_id") read_string(v, where, key, p.quote_currency_id);
    else if (key == "base_currency_id") read_string(v, where, key, p.base_currency_id);
    else if (key == "alias") read_string(v, where, key, p.alias);
    else if (key == "alias_to") read_string_array(v, where, key, p.alias_to);
    else if (key == "base_display_symbol") read_string(v, where, key, p.base_display_symbol);
    else if (key == "quote_display_symbol") read_string(v, where, key, p.quote_display_symbol);
    else if (key == "view_only") read_bool(v, where, key, p.view_only);
    else if (key == "price_increment") read_decimal(v, where, key, p.price_increment);
    else if (key == "new_at") read_string(v, where, key, p.new_at);
    else if (key == "future_product_details") read_future(v, where, p.future);
  }
  if (p.product_id.empty()) fail(where, ": missing or empty field 'product_id'");
  if (p.product_type.empty()) fail(where, ": missing or empty field 'product_type'");
}

const std::string& first_non_empty(const std::string& a, const std::string& b, const std::string& c) {
  return !a.empty() ? a : !b.empty() ? b : c;
}

// Status (see README): delisted/offline -> delisted; any blocking flag -> halted;
// auction_mode -> pre_trading; online or "" (futures carry no status text) -> trading;
// any other status text -> halted.
std::int32_t map_status(const RawProduct& p) {
  if (p.status == "delisted" || p.status == "offline") return MDP_SYMBOL_DELISTED;
  if (p.is_disabled || p.trading_disabled || p.cancel_only || p.post_only || p.view_only) {
    return MDP_SYMBOL_HALTED;
  }
  if (p.auction_mode) return MDP_SYMBOL_PRE_TRADING;
  if (p.status == "online" || p.status.empty()) return MDP_SYMBOL_TRADING;
  return MDP_SYMBOL_HALTED;
}

// The status text plus every restricting flag that is set: "online", "online+cancel_only",
// "is_disabled" (a future, whose status text is empty), "" (a normal future).
std::string native_status(const RawProduct& p) {
  std::string out = p.status;
  const auto add = [&out](bool flag, const char* name) {
    if (!flag) return;
    if (!out.empty()) out += '+';
    out += name;
  };
  add(p.trading_disabled, "trading_disabled");
  add(p.is_disabled, "is_disabled");
  add(p.cancel_only, "cancel_only");
  add(p.limit_only, "limit_only");
  add(p.post_only, "post_only");
  add(p.auction_mode, "auction_mode");
  add(p.view_only, "view_only");
  return out;
}

// Maps one product; false (with `skipped` filled) for a product type this plugin does not map.
bool map_product(RawProduct& p, const Where& where, ParsedProduct& out, SkippedProduct& skipped) {
  mdp::sdk::Symbol& s = out.symbol;
  s.native_symbol = p.product_id;
  s.status = map_status(p);
  s.native_status = native_status(p);
  s.tick_size = !p.price_increment.empty() ? p.price_increment : p.quote_increment;
  s.lot_step = p.base_increment;
  s.min_qty = p.base_min_size;
  s.min_notional = p.quote_min_size;
  s.alias_of = p.alias == p.product_id ? std::string() : p.alias;
  out.alias_to = std::move(p.alias_to);
  std::int64_t listed = -1;
  s.listed_at_ms = !p.new_at.empty() && parse_iso8601_ms(p.new_at, listed) ? listed : -1;

  if (p.product_type == "SPOT") {
    // Currency ids, not display symbols: BTC-USDC displays its quote as "USD" (the unified
    // USD/USDC book) and would collide with BTC-USD.
    const std::size_t dash = p.product_id.find('-');
    const std::string id_base = dash == std::string::npos ? std::string() : p.product_id.substr(0, dash);
    const std::string id_quote = dash == std::string::npos ? std::string() : p.product_id.substr(dash + 1);
    s.base = first_non_empty(p.base_currency_id, p.base_display_symbol, id_base);
    s.quote = first_non_empty(p.quote_currency_id, p.quote_display_symbol, id_quote);
    if (s.base.empty() || s.quote.empty()) {
      fail(where, ": cannot derive base/quote (base_currency_id, quote_currency_id empty and product_id is not BASE-QUOTE)");
    }
    s.market_type = MDP_MARKET_SPOT;
    s.symbol = s.base + "/" + s.quote;
    s.settle.clear();
    s.contract_size.clear();
    s.delivery_at_ms = -1;
    out.natural = p.product_id == s.base + "-" + s.quote;
    return true;
  }
  if (p.product_type == "FUTURE") {
    if (!p.future.present) fail(where, ": FUTURE product without 'future_product_details'");
    const RawFuture& f = p.future;
    s.base = first_non_empty(f.contract_root_unit, p.base_currency_id, p.base_display_symbol);
    s.quote = first_non_empty(p.quote_currency_id, p.quote_display_symbol, std::string());
    if (s.base.empty()) fail(where, ": FUTURE product without future_product_details.contract_root_unit");
    if (s.quote.empty()) fail(where, ": FUTURE product without quote_currency_id");
    // Coinbase futures are linear and settle in the quote currency (USD for the US CDE
    // contracts, USDC for INTX perpetuals).
    s.settle = s.quote;
    s.contract_size = f.contract_size;
    if (f.contract_expiry_type == "PERPETUAL") {
      s.market_type = MDP_MARKET_PERPETUAL;
      s.symbol = s.base + "/" + s.quote + ":" + s.settle;
      s.delivery_at_ms = -1;
      return true;
    }
    if (f.contract_expiry_type == "EXPIRING") {
      std::int64_t expiry = 0;
      if (f.contract_expiry.empty() || !parse_iso8601_ms(f.contract_expiry, expiry)) {
        fail(where, ".future_product_details.contract_expiry: not an ISO-8601 time: '" +
                        json::excerpt(f.contract_expiry) + "'");
      }
      s.market_type = MDP_MARKET_FUTURE;
      s.delivery_at_ms = expiry;
      s.symbol = s.base + "/" + s.quote + ":" + s.settle + "-" + yymmdd_utc(expiry);
      return true;
    }
    skipped.product_id = p.product_id;
    skipped.reason = "contract_expiry_type '" + f.contract_expiry_type + "' is not mapped";
    return false;
  }
  skipped.product_id = p.product_id;
  skipped.reason = "product_type '" + p.product_type + "' is not mapped";
  return false;
}

// num_products arrives as a number (2) or a string ("646").
std::int64_t read_count(od::value& value, std::string_view field) {
  std::string_view text;
  const Kind kind = json::scalar_token(value, text);
  if (kind == Kind::Null) return -1;
  std::int64_t count = 0;
  if ((kind != Kind::String && kind != Kind::Number) || !json::parse_uint(text, count)) {
    json::protocol_error(std::string(kWhat) + ": " + std::string(field) + ": not a count: '" +
                         json::excerpt(text) + "'");
  }
  return count;
}

bool read_has_next(od::value& value) {
  const od::json_type type = type_of(value);
  if (type == od::json_type::null) return false;
  if (type != od::json_type::object) json::protocol_error(std::string(kWhat) + ": 'pagination' is not an object");
  od::object object;
  if (auto code = value.get_object().get(object)) json::json_error(kWhat, code);
  bool has_next = false;
  for (auto field_result : object) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) json::json_error(kWhat, code);
    if (key == "has_next") {
      const Where where{"pagination", 0, nullptr};
      read_bool(field.value(), where, "has_next", has_next);
    }
  }
  return has_next;
}

}  // namespace

ProductsPage parse_products_page(std::string_view body) {
  ProductsPage page;
  od::document doc;
  if (auto code = json::thread_parser().iterate(json::padded(body)).get(doc)) json::json_error(kWhat, code);
  od::object root = json::root_object(doc, body, kWhat);
  bool seen_products = false;
  for (auto field_result : root) {
    od::field field;
    if (auto code = std::move(field_result).get(field)) json::json_error(kWhat, code);
    std::string_view key;
    if (auto code = field.unescaped_key().get(key)) json::json_error(kWhat, code);
    od::value& value = field.value();
    if (key == "num_products") {
      page.num_products = read_count(value, "num_products");
    } else if (key == "pagination") {
      page.has_next = read_has_next(value);
    } else if (key == "products") {
      if (seen_products) json::protocol_error(std::string(kWhat) + ": duplicate field 'products'");
      seen_products = true;
      od::array products;
      if (type_of(value) != od::json_type::array || value.get_array().get(products) != simdjson::SUCCESS) {
        json::protocol_error(std::string(kWhat) + ": field 'products' is not an array");
      }
      std::size_t index = 0;
      for (auto element_result : products) {
        od::value element;
        if (auto code = std::move(element_result).get(element)) json::json_error(kWhat, code);
        const Where where{"products", index, nullptr};
        od::object object;
        if (type_of(element) != od::json_type::object || element.get_object().get(object) != simdjson::SUCCESS) {
          fail(where, ": expected an object");
        }
        RawProduct raw;
        read_product_fields(object, where, raw);
        ParsedProduct parsed;
        SkippedProduct skipped;
        const Where named{"products", index, &raw.product_id};
        if (map_product(raw, named, parsed, skipped)) {
          page.products.push_back(std::move(parsed));
        } else {
          page.skipped.push_back(std::move(skipped));
        }
        ++index;
      }
      page.raw_count = index;
    }
  }
  if (!seen_products) json::protocol_error(std::string(kWhat) + ": missing field 'products'");
  json::expect_end(doc, kWhat);
  return page;
}

ParsedProduct parse_product(std::string_view body) {
  constexpr std::string_view what = "product response";
  od::document doc;
  if (auto code = json::thread_parser().iterate(json::padded(body)).get(doc)) json::json_error(what, code);
  od::object root = json::root_object(doc, body, what);
  RawProduct raw;
  read_product_fields(root, Where{"product", 0, nullptr}, raw);
  json::expect_end(doc, what);
  ParsedProduct parsed;
  SkippedProduct skipped;
  if (!map_product(raw, Where{"product", 0, &raw.product_id}, parsed, skipped)) {
    json::protocol_error(std::string(what) + ": " + skipped.product_id + ": " + skipped.reason);
  }
  return parsed;
}

std::vector<mdp::sdk::Symbol> finalize_symbols(std::vector<ParsedProduct> products,
                                               std::vector<std::string>* notes) {
  // 1. De-duplicate by product id, keeping the first occurrence (and listing order).
  std::vector<ParsedProduct> unique;
  unique.reserve(products.size());
  std::unordered_map<std::string, std::size_t> by_id;
  by_id.reserve(products.size());
  for (ParsedProduct& p : products) {
    if (by_id.emplace(p.symbol.native_symbol, unique.size()).second) unique.push_back(std::move(p));
  }

  // 2. alias_of from the other side: "BTC-USD" lists "BTC-USDC" in alias_to, so BTC-USDC is an
  //    alias of BTC-USD even when BTC-USDC's own "alias" field is empty.
  for (const ParsedProduct& p : unique) {
    for (const std::string& alias : p.alias_to) {
      auto it = by_id.find(alias);
      if (it == by_id.end() || alias == p.symbol.native_symbol) continue;
      mdp::sdk::Symbol& target = unique[it->second].symbol;
      if (target.alias_of.empty()) target.alias_of = p.symbol.native_symbol;
    }
  }

  // 3. Unique canonical symbols. std::map keeps the renaming independent of hash order.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < unique.size(); ++i) groups[unique[i].symbol.symbol].push_back(i);
  for (auto& [canonical, members] : groups) {
    if (members.size() < 2) continue;
    std::sort(members.begin(), members.end(), [&unique](std::size_t a, std::size_t b) {
      if (unique[a].natural != unique[b].natural) return unique[a].natural;
      return unique[a].symbol.native_symbol < unique[b].symbol.native_symbol;
    });
    for (std::size_t k = 1; k < members.size(); ++k) {
      mdp::sdk::Symbol& s = unique[members[k]].symbol;
      s.symbol = canonical + "~" + s.native_symbol;
      if (notes != nullptr) {
        notes->push_back(s.native_symbol + " maps to " + canonical + " like " +
                         unique[members[0]].symbol.native_symbol + "; listed as " + s.symbol);
      }
    }
  }

  std::vector<mdp::sdk::Symbol> out;
  out.reserve(unique.size());
  std::unordered_map<std::string, std::size_t> seen;
  seen.reserve(unique.size());
  for (ParsedProduct& p : unique) {
    if (!seen.emplace(p.symbol.symbol, out.size()).second) {
      // Only reachable if a renamed symbol equals another product's canonical symbol.
      json::protocol_error(std::string(kWhat) + ": canonical symbol " + p.symbol.symbol +
                           " is not unique after disambiguation");
    }
    out.push_back(std::move(p.symbol));
  }
  return out;
}

std::vector<mdp::sdk::Symbol> parse_symbols(std::string_view body) {
  return finalize_symbols(parse_products_page(body).products);
}

}  // namespace mdp::coinbase
