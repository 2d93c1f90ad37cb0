#include "OutputValidation.hpp"

#include <mdp/decimal.hpp>

#include <algorithm>
#include <cstring>
#include <utility>

#include "DecimalCompare.hpp"
#include "PluginText.hpp"

namespace mdp::plugins {
namespace {

constexpr std::size_t kSnippet = 40;       // bytes of an offending value quoted in a message
constexpr std::size_t kAssetText = 64;     // base / quote / settle
constexpr std::size_t kStatusText = 256;   // native_status
constexpr std::int32_t kMaxPrecision = 64; // price_max_decimals / price_max_sig_figs

std::string row_prefix(std::size_t index) { return "row " + std::to_string(index) + ": "; }

std::string quoted(std::string_view value) { return "'" + sanitize(value, kSnippet) + "'"; }

// base/quote/settle: no separators of the canonical notation (including the '~' that starts a
// collision suffix), no spaces.
bool is_asset_code(std::string_view text) {
  if (text.empty()) return false;
  return std::none_of(text.begin(), text.end(),
                      [](char c) { return c == '/' || c == ':' || c == '~' || c == ' '; });
}

bool is_six_digits(std::string_view text) {
  return text.size() == 6 && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

// ------------------------------------------------------------------ RowCollector

void RowCollector::fail(std::string message) noexcept { reject(std::move(message)); }

mdp_status RowCollector::reject(std::string message) noexcept {
  if (!failed_) {
    failed_ = true;
    violation_ = std::move(message);
    // The contract lets a refusing sink put its reason into the call's error first.
    if (err_ != nullptr && err_->message != nullptr && err_->message_capacity > 0) {
      const std::size_t n = std::min(violation_.size(), err_->message_capacity - 1);
      std::memcpy(err_->message, violation_.data(), n);
      err_->message[n] = '\0';
    }
  }
  return MDP_E_SINK_REJECTED;
}

bool RowCollector::check_batch(const void* rows, std::size_t count, std::size_t stride,
                               std::size_t minimum, std::size_t max_row_stride, std::size_t room,
                               const char* what) noexcept {
  try {
    if (rows == nullptr) {
      reject("emit: rows is NULL with count " + std::to_string(count));
      return false;
    }
    if (stride < minimum) {
      reject("emit: row_stride " + std::to_string(stride) + " is smaller than the " +
             std::to_string(minimum) + " bytes of an ABI 1.0 " + what);
      return false;
    }
    if (stride > max_row_stride) {
      reject("emit: row_stride " + std::to_string(stride) + " exceeds the host's cap of " +
             std::to_string(max_row_stride) + " bytes");
      return false;
    }
    if (count > room) return false;  // the caller words this one
    return true;
  } catch (...) {
    reject("emit: host out of memory");
    return false;
  }
}

template <class Row>
bool RowCollector::copy_row(const unsigned char* bytes, std::size_t stride, std::size_t minimum,
                            std::size_t index, Row& out) noexcept {
  try {
    std::size_t declared = 0;
    std::memcpy(&declared, bytes, sizeof declared);  // rows may be unaligned: never dereference
    if (declared < minimum) {
      reject(row_prefix(index) + "struct_size " + std::to_string(declared) + " is smaller than the " +
             std::to_string(minimum) + " bytes of ABI 1.0");
      return false;
    }
    if (declared > stride) {
      reject(row_prefix(index) + "struct_size " + std::to_string(declared) + " exceeds row_stride " +
             std::to_string(stride));
      return false;
    }
    out = Row{};
    std::memcpy(&out, bytes, std::min(declared, sizeof(Row)));
    return true;
  } catch (...) {
    reject("emit: host out of memory");
    return false;
  }
}

bool RowCollector::text(const char* value, std::size_t cap, std::size_t index, const char* field,
                        bool required, std::string& out) noexcept {
  try {
    std::string_view view;
    const TextIssue issue = read_text(value, cap, view);
    if (issue != TextIssue::None) {
      std::string message = row_prefix(index) + "field '" + field + "' " + describe(issue);
      if (issue == TextIssue::TooLong) message += " (cap " + std::to_string(cap) + " bytes)";
      reject(std::move(message));
      return false;
    }
    if (required && view.empty()) {
      reject(row_prefix(index) + "field '" + field + "' is empty");
      return false;
    }
    out.assign(view.data(), view.size());
    return true;
  } catch (...) {
    reject("emit: host out of memory");
    return false;
  }
}

bool RowCollector::decimal(const char* value, std::size_t index, const char* field, bool optional,
                           std::string& out) noexcept {
  // One byte over the canonical maximum is enough to tell "too long" from "fits".
  if (!text(value, mdp::kMaxDecimalInput + 1, index, field, !optional, out)) return false;
  if (out.empty()) return true;
  if (!mdp::is_canonical_decimal(out)) {
    try {
      reject(row_prefix(index) + "field '" + field + "' is not a canonical decimal: " + quoted(out));
    } catch (...) {
      reject("emit: host out of memory");
    }
    return false;
  }
  return true;
}

// ------------------------------------------------------------------ symbols

SymbolCollector::SymbolCollector(std::string exchange, const OutputLimits& limits, mdp_error* err)
    : RowCollector(err), exchange_(std::move(exchange)), limits_(limits) {}

mdp_symbol_sink SymbolCollector::sink() noexcept {
  mdp_symbol_sink s{};
  s.struct_size = sizeof(s);
  s.ctx = this;
  s.emit = [](void* ctx, const mdp_symbol* rows, std::size_t count, std::size_t stride) -> mdp_status {
    return static_cast<SymbolCollector*>(ctx)->emit(rows, count, stride);
  };
  return s;
}

mdp_status SymbolCollector::emit(const mdp_symbol* rows, std::size_t count, std::size_t row_stride) noexcept {
  if (failed()) return MDP_E_SINK_REJECTED;
  if (count == 0) return MDP_OK;
  const std::size_t room = limits_.max_symbols - std::min(limits_.max_symbols, symbols_.size());
  if (!check_batch(rows, count, row_stride, kSymbolRowV1Size, limits_.max_row_stride, room, "mdp_symbol")) {
    if (!failed()) {
      try {
        reject("emit: more than " + std::to_string(limits_.max_symbols) +
               " symbols in one list_symbols call");
      } catch (...) {
        reject("emit: too many symbols");
      }
    }
    return MDP_E_SINK_REJECTED;
  }
  const auto* base = reinterpret_cast<const unsigned char*>(rows);
  try {
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t index = next_index_++;
      mdp_symbol row{};
      if (!copy_row(base + i * row_stride, row_stride, kSymbolRowV1Size, index, row)) {
        return MDP_E_SINK_REJECTED;
      }
      domain::Symbol symbol;
      if (!convert(row, index, symbol)) return MDP_E_SINK_REJECTED;
      symbols_.push_back(std::move(symbol));
    }
  } catch (...) {
    return reject("emit: host out of memory");
  }
  return MDP_OK;
}

bool SymbolCollector::convert(const mdp_symbol& row, std::size_t index, domain::Symbol& out) noexcept {
  try {
    const std::size_t cap = limits_.max_symbol_text;
    out.exchange = exchange_;
    if (!text(row.symbol, cap, index, "symbol", true, out.symbol)) return false;
    if (!text(row.native_symbol, cap, index, "native_symbol", true, out.native_symbol)) return false;

    const auto market_type = domain::market_type_from_code(row.market_type);
    if (!market_type) {
      reject(row_prefix(index) + "field 'market_type' has unknown code " + std::to_string(row.market_type));
      return false;
    }
    out.market_type = *market_type;
    const auto status = domain::symbol_status_from_code(row.status);
    if (!status) {
      reject(row_prefix(index) + "field 'status' has unknown code " + std::to_string(row.status));
      return false;
    }
    out.status = *status;

    std::string settle;
    if (!text(row.base, kAssetText, index, "base", true, out.base)) return false;
    if (!text(row.quote, kAssetText, index, "quote", true, out.quote)) return false;
    if (!text(row.settle, kAssetText, index, "settle", false, settle)) return false;
    for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"base", &out.base},
                                       {"quote", &out.quote},
                                       {"settle", &settle}}) {
      if (!value->empty() && !is_asset_code(*value)) {
        reject(row_prefix(index) + "field '" + field + "' " + quoted(*value) +
               " contains '/', ':', '~' or a space");
        return false;
      }
    }

    // The canonical notation follows from the market type (DESIGN.md, canonical model). A market
    // that would otherwise collide with another may carry "~" + its own native_symbol after the
    // strict form (CONTRACT.md, symbols); the strict form itself never contains '~'.
    std::string_view strict(out.symbol);
    if (const std::size_t tilde = strict.find('~'); tilde != std::string_view::npos) {
      const std::string_view suffix = strict.substr(tilde + 1);
      if (suffix.empty()) {
        reject(row_prefix(index) + "field 'symbol' " + quoted(out.symbol) +
               " has an empty '~' suffix (it must be '~' + native_symbol)");
        return false;
      }
      if (suffix != out.native_symbol) {
        reject(row_prefix(index) + "field 'symbol' " + quoted(out.symbol) + " has the suffix " +
               quoted("~" + std::string(suffix)) + ", not '~' + the row's native_symbol " +
               quoted(out.native_symbol));
        return false;
      }
      strict = strict.substr(0, tilde);
    }
    const std::string pair = out.base + "/" + out.quote;
    switch (out.market_type) {
      case domain::MarketType::Spot:
        if (!settle.empty()) {
          reject(row_prefix(index) + "field 'settle' must be empty for a spot market, got " + quoted(settle));
          return false;
        }
        if (strict != pair) {
          reject(row_prefix(index) + "field 'symbol' " + quoted(out.symbol) +
                 " is not the canonical spot form BASE/QUOTE ('" + pair + "')");
          return false;
        }
        break;
      case domain::MarketType::Perpetual:
        if (settle.empty() || strict != pair + ":" + settle) {
          reject(row_prefix(index) + "field 'symbol' " + quoted(out.symbol) +
                 " is not the canonical perpetual form BASE/QUOTE:SETTLE" +
                 (settle.empty() ? std::string(" (settle is empty)") : " ('" + pair + ":" + settle + "')"));
          return false;
        }
        break;
      case domain::MarketType::Future: {
        const std::string prefix = pair + ":" + settle + "-";
        const bool ok = !settle.empty() && strict.size() == prefix.size() + 6 &&
                        strict.compare(0, prefix.size(), prefix) == 0 &&
                        is_six_digits(strict.substr(prefix.size()));
        if (!ok) {
          reject(row_prefix(index) + "field 'symbol' " + quoted(out.symbol) +
                 " is not the canonical dated-future form BASE/QUOTE:SETTLE-YYMMDD" +
                 (settle.empty() ? std::string(" (settle is empty)") : " ('" + prefix + "YYMMDD')"));
          return false;
        }
        break;
      }
    }
    if (!settle.empty()) out.settle = settle;

    struct DecimalField {
      const char* name;
      const char* value;
      std::optional<std::string>* target;
      bool positive;  // > 0 when present (a step or size of 0 means nothing)
    };
    const DecimalField decimals[] = {
        {"tick_size", row.tick_size, &out.tick_size, true},
        {"lot_step", row.lot_step, &out.lot_step, true},
        {"min_qty", row.min_qty, &out.min_qty, false},
        {"min_notional", row.min_notional, &out.min_notional, false},
        {"contract_size", row.contract_size, &out.contract_size, true},
    };
    for (const DecimalField& field : decimals) {
      std::string value;
      if (!decimal(field.value, index, field.name, true, value)) return false;
      if (value.empty()) continue;
      if (is_negative_decimal(value) || (field.positive && value == "0")) {
        reject(row_prefix(index) + "field '" + field.name + "' must be " +
               (field.positive ? "positive" : "non-negative") + ", got " + quoted(value));
        return false;
      }
      *field.target = std::move(value);
    }

    const std::pair<const char*, std::int64_t> times[] = {{"listed_at_ms", row.listed_at_ms},
                                                          {"delivery_at_ms", row.delivery_at_ms}};
    for (const auto& [name, value] : times) {
      if (value < -1) {
        reject(row_prefix(index) + "field '" + name + "' is " + std::to_string(value) +
               " (must be -1 or a UTC ms time)");
        return false;
      }
    }
    if (row.listed_at_ms >= 0) out.listed_at_ms = row.listed_at_ms;
    if (row.delivery_at_ms >= 0) out.delivery_at_ms = row.delivery_at_ms;

    const std::pair<const char*, std::int32_t> precisions[] = {{"price_max_decimals", row.price_max_decimals},
                                                               {"price_max_sig_figs", row.price_max_sig_figs}};
    for (const auto& [name, value] : precisions) {
      if (value < -1 || value > kMaxPrecision) {
        reject(row_prefix(index) + "field '" + name + "' is " + std::to_string(value) + " (must be -1 or 0.." +
               std::to_string(kMaxPrecision) + ")");
        return false;
      }
    }
    if (row.price_max_decimals >= 0) out.price_max_decimals = row.price_max_decimals;
    if (row.price_max_sig_figs >= 0) out.price_max_sig_figs = row.price_max_sig_figs;

    std::string alias, native_status;
    if (!text(row.alias_of, cap, index, "alias_of", false, alias)) return false;
    if (!alias.empty() && alias == out.native_symbol) {
      reject(row_prefix(index) + "field 'alias_of' names the row's own native_symbol " + quoted(alias));
      return false;
    }
    if (!alias.empty()) out.alias_of = std::move(alias);
    if (!text(row.native_status, kStatusText, index, "native_status", false, native_status)) return false;
    if (!native_status.empty()) out.native_status = std::move(native_status);

    if (!seen_symbols_.insert(out.symbol).second) {
      reject(row_prefix(index) + "duplicate symbol " + quoted(out.symbol) + " in one list_symbols call");
      return false;
    }
    if (!seen_natives_.insert(out.native_symbol).second) {
      reject(row_prefix(index) + "duplicate native_symbol " + quoted(out.native_symbol) +
             " in one list_symbols call");
      return false;
    }
    return true;
  } catch (...) {
    reject("emit: host out of memory");
    return false;
  }
}

// ------------------------------------------------------------------ candles

CandleCollector::CandleCollector(const domain::CandlePageRequest& request, const OutputLimits& limits,
                                 mdp_error* err)
    : RowCollector(err),
      start_ms_(request.start_ms),
      end_ms_(request.end_ms),
      max_rows_(request.max_rows),
      limits_(limits) {}

mdp_candle_sink CandleCollector::sink() noexcept {
  mdp_candle_sink s{};
  s.struct_size = sizeof(s);
  s.ctx = this;
  s.emit = [](void* ctx, const mdp_candle* rows, std::size_t count, std::size_t stride) -> mdp_status {
    return static_cast<CandleCollector*>(ctx)->emit(rows, count, stride);
  };
  return s;
}

mdp_status CandleCollector::emit(const mdp_candle* rows, std::size_t count, std::size_t row_stride) noexcept {
  if (failed()) return MDP_E_SINK_REJECTED;
  if (count == 0) return MDP_OK;
  const std::size_t room = max_rows_ - std::min(max_rows_, page_.candles.size());
  if (!check_batch(rows, count, row_stride, kCandleRowV1Size, limits_.max_row_stride, room, "mdp_candle")) {
    if (!failed()) {
      try {
        reject("emit: more than max_rows=" + std::to_string(max_rows_) + " candles in one page");
      } catch (...) {
        reject("emit: too many candles");
      }
    }
    return MDP_E_SINK_REJECTED;
  }
  const auto* base = reinterpret_cast<const unsigned char*>(rows);
  try {
    // Room for the whole batch at once (count <= room, checked above) instead of doubling
    // inside the loop: moving grown vectors of candles was a third of a 10,000-candle request
    // (issue 11). Still geometric, so a plugin emitting row by row stays linear.
    const std::size_t needed = page_.candles.size() + count;
    if (page_.candles.capacity() < needed) page_.candles.reserve(std::max(needed, 2 * page_.candles.capacity()));
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t index = next_index_++;
      mdp_candle row{};
      if (!copy_row(base + i * row_stride, row_stride, kCandleRowV1Size, index, row)) {
        return MDP_E_SINK_REJECTED;
      }
      domain::Candle candle;
      if (!convert(row, index, candle)) return MDP_E_SINK_REJECTED;
      page_.candles.push_back(std::move(candle));
    }
  } catch (...) {
    return reject("emit: host out of memory");
  }
  return MDP_OK;
}

bool CandleCollector::convert(const mdp_candle& row, std::size_t index, domain::Candle& out) noexcept {
  try {
    // The "row N: " prefix is built only for a rejected row (issue 11: not per valid row).
    if (row.open_time_ms < start_ms_ || row.open_time_ms >= end_ms_) {
      reject(row_prefix(index) + "open_time_ms " + std::to_string(row.open_time_ms) + " is outside the requested [" +
             std::to_string(start_ms_) + ", " + std::to_string(end_ms_) + ")");
      return false;
    }
    if (row.close_time_ms <= row.open_time_ms) {
      reject(row_prefix(index) + "close_time_ms " + std::to_string(row.close_time_ms) + " is not after open_time_ms " +
             std::to_string(row.open_time_ms));
      return false;
    }
    if (!page_.candles.empty() && row.open_time_ms <= page_.candles.back().open_time_ms) {
      reject(row_prefix(index) + "open_time_ms " + std::to_string(row.open_time_ms) + " is not after the previous row's " +
             std::to_string(page_.candles.back().open_time_ms) + " (rows must be strictly ascending)");
      return false;
    }
    out.open_time_ms = row.open_time_ms;
    out.close_time_ms = row.close_time_ms;

    if (!decimal(row.open, index, "open", false, out.open)) return false;
    if (!decimal(row.high, index, "high", false, out.high)) return false;
    if (!decimal(row.low, index, "low", false, out.low)) return false;
    if (!decimal(row.close, index, "close", false, out.close)) return false;
    if (!decimal(row.volume, index, "volume", false, out.volume)) return false;
    std::string quote_volume;
    if (!decimal(row.quote_volume, index, "quote_volume", true, quote_volume)) return false;

    if (compare_decimals(out.low, out.high) > 0) {
      reject(row_prefix(index) + "low " + quoted(out.low) + " is above high " + quoted(out.high));
      return false;
    }
    const std::pair<const char*, const std::string*> inside[] = {{"open", &out.open}, {"close", &out.close}};
    for (const auto& [name, value] : inside) {
      if (compare_decimals(*value, out.low) < 0 || compare_decimals(*value, out.high) > 0) {
        reject(row_prefix(index) + name + " " + quoted(*value) + " is outside [low " + quoted(out.low) + ", high " +
               quoted(out.high) + "]");
        return false;
      }
    }
    if (is_negative_decimal(out.volume)) {
      reject(row_prefix(index) + "field 'volume' is negative: " + quoted(out.volume));
      return false;
    }
    if (is_negative_decimal(quote_volume)) {
      reject(row_prefix(index) + "field 'quote_volume' is negative: " + quoted(quote_volume));
      return false;
    }
    if (!quote_volume.empty()) out.quote_volume = std::move(quote_volume);

    if (row.trades < -1) {
      reject(row_prefix(index) + "field 'trades' is " + std::to_string(row.trades) + " (must be -1 or >= 0)");
      return false;
    }
    if (row.trades >= 0) out.trades = row.trades;
    if (row.closed != 0 && row.closed != 1) {
      reject(row_prefix(index) + "field 'closed' is " + std::to_string(row.closed) + " (must be 0 or 1)");
      return false;
    }
    out.closed = row.closed == 1;
    return true;
  } catch (...) {
    reject("emit: host out of memory");
    return false;
  }
}

bool CandleCollector::finish(const mdp_candle_page& page) noexcept {
  if (failed()) return false;
  try {
    const std::int64_t next = page.next_start_ms;
    if (next != -1) {
      // Progress is guaranteed: the next page starts after everything emitted (and after
      // start when nothing was), and before the end of the range.
      const bool empty = page_.candles.empty();
      const std::int64_t lower = empty ? start_ms_ : page_.candles.back().open_time_ms;
      if (next <= lower || next >= end_ms_) {
        fail("page.next_start_ms " + std::to_string(next) + " must be -1 or inside (" +
             (empty ? "start " : "last open_time ") + std::to_string(lower) + ", end " +
             std::to_string(end_ms_) + ")");
        return false;
      }
      page_.next_start_ms = next;
    }
    const std::int64_t available = page.available_from_ms;
    if (available < -1) {
      fail("page.available_from_ms " + std::to_string(available) + " must be -1 or a UTC ms time");
      return false;
    }
    if (available >= 0) page_.available_from_ms = available;
    return true;
  } catch (...) {
    fail("finish: host out of memory");
    return false;
  }
}

}  // namespace mdp::plugins
