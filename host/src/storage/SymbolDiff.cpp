#include "SymbolDiff.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace mdp::storage {

std::string_view to_string(ExchangeStatus status) {
  switch (status) {
    case ExchangeStatus::Loaded: return "loaded";
    case ExchangeStatus::Failed: return "failed";
    case ExchangeStatus::Disabled: return "disabled";
  }
  return "failed";
}

std::optional<ExchangeStatus> exchange_status_from_string(std::string_view text) {
  if (text == "loaded") return ExchangeStatus::Loaded;
  if (text == "failed") return ExchangeStatus::Failed;
  if (text == "disabled") return ExchangeStatus::Disabled;
  return std::nullopt;
}

std::string_view to_string(SyncOutcome outcome) {
  switch (outcome) {
    case SyncOutcome::Running: return "running";
    case SyncOutcome::Succeeded: return "succeeded";
    case SyncOutcome::Failed: return "failed";
    case SyncOutcome::Skipped: return "skipped";
  }
  return "failed";
}

std::optional<SyncOutcome> sync_outcome_from_string(std::string_view text) {
  if (text == "running") return SyncOutcome::Running;
  if (text == "succeeded") return SyncOutcome::Succeeded;
  if (text == "failed") return SyncOutcome::Failed;
  if (text == "skipped") return SyncOutcome::Skipped;
  return std::nullopt;
}

std::vector<std::optional<std::string>> tracked_values(const domain::Symbol& s) {
  return {std::string(domain::to_string(s.status)), s.tick_size, s.lot_step, s.min_qty, s.min_notional,
          s.contract_size};
}

bool same_stored_fields(const domain::Symbol& a, const domain::Symbol& b) {
  return std::tie(a.symbol, a.native_symbol, a.market_type, a.status, a.base, a.quote, a.settle, a.tick_size,
                  a.lot_step, a.min_qty, a.min_notional, a.contract_size, a.listed_at_ms, a.delivery_at_ms,
                  a.price_max_decimals, a.price_max_sig_figs, a.alias_of, a.native_status) ==
         std::tie(b.symbol, b.native_symbol, b.market_type, b.status, b.base, b.quote, b.settle, b.tick_size,
                  b.lot_step, b.min_qty, b.min_notional, b.contract_size, b.listed_at_ms, b.delivery_at_ms,
                  b.price_max_decimals, b.price_max_sig_figs, b.alias_of, b.native_status);
}

SymbolDiff diff_symbols(const std::vector<StoredSymbol>& stored, const std::vector<domain::Symbol>& fetched) {
  std::map<std::string, const domain::Symbol*> by_symbol;
  std::set<std::string> natives;
  for (const auto& symbol : fetched) {
    if (!by_symbol.emplace(symbol.symbol, &symbol).second) {
      throw SymbolDiffError("the exchange listed the canonical symbol " + symbol.symbol + " twice");
    }
    if (!natives.insert(symbol.native_symbol).second) {
      throw SymbolDiffError("the exchange listed the native symbol " + symbol.native_symbol + " twice");
    }
  }

  SymbolDiff diff;
  std::set<std::string> known;
  for (const auto& row : stored) {
    known.insert(row.symbol);
    const bool was_active = row.status != domain::SymbolStatus::Delisted;
    if (was_active) ++diff.active_before;
    auto it = by_symbol.find(row.symbol);
    if (it == by_symbol.end()) {
      if (was_active) diff.delisted.push_back(row);
      continue;
    }
    const domain::Symbol& now = *it->second;
    if (same_stored_fields(row, now)) {
      diff.unchanged_seen.push_back(row.symbol);
      continue;
    }
    ChangedSymbol change{row, now, {}};
    const auto old_values = tracked_values(row);
    const auto new_values = tracked_values(now);
    for (std::size_t i = 0; i < old_values.size(); ++i) {
      if (old_values[i] != new_values[i]) {
        change.tracked.push_back(FieldChange{kTrackedSymbolFields[i], old_values[i], new_values[i]});
      }
    }
    diff.changed.push_back(std::move(change));
  }
  for (const auto& symbol : fetched) {
    if (!known.count(symbol.symbol)) diff.added.push_back(symbol);
  }

  auto by_name = [](const auto& a, const auto& b) { return a.symbol < b.symbol; };
  std::sort(diff.added.begin(), diff.added.end(), by_name);
  std::sort(diff.delisted.begin(), diff.delisted.end(), by_name);
  std::sort(diff.changed.begin(), diff.changed.end(),
            [](const ChangedSymbol& a, const ChangedSymbol& b) { return a.after.symbol < b.after.symbol; });
  std::sort(diff.unchanged_seen.begin(), diff.unchanged_seen.end());
  return diff;
}

}  // namespace mdp::storage
