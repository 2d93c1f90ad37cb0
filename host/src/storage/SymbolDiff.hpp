// The pure part of a metadata sync: what differs between the symbols stored for one
// exchange and the list the exchange just returned. No database, no I/O; the syncer computes
// it, checks it (e.g. the "too many delistings" guard), and hands it to
// SymbolRepository::apply_sync, which writes it in one transaction.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "MarketModel.hpp"
#include "StorageModel.hpp"

namespace mdp::storage {

// Fields whose changes are written to symbol_changes, in this order.
inline constexpr const char* kTrackedSymbolFields[] = {"status",  "tick_size",    "lot_step",
                                                       "min_qty", "min_notional", "contract_size"};

struct FieldChange {
  std::string field;  // one of kTrackedSymbolFields
  std::optional<std::string> old_value;
  std::optional<std::string> new_value;
};

struct ChangedSymbol {
  StoredSymbol before;
  domain::Symbol after;
  std::vector<FieldChange> tracked;  // may be empty when only untracked fields changed
};

struct SymbolDiff {
  std::vector<domain::Symbol> added;         // not stored yet
  std::vector<ChangedSymbol> changed;        // stored, some field differs (incl. relisting)
  std::vector<StoredSymbol> delisted;        // stored and active, missing from the answer
  std::vector<std::string> unchanged_seen;   // canonical symbols listed again, identical
  std::size_t active_before = 0;             // stored symbols not delisted before the sync

  bool has_changes() const { return !added.empty() || !changed.empty() || !delisted.empty(); }
  // Share of previously active symbols this diff would delist (0 when none were active).
  double delisted_share() const {
    return active_before == 0 ? 0.0 : static_cast<double>(delisted.size()) / static_cast<double>(active_before);
  }
};

class SymbolDiffError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Compares by canonical symbol. `fetched` must not repeat a canonical or native symbol
// (SymbolDiffError otherwise: the answer is unusable). A stored delisted symbol that is
// listed again appears in `changed` (status delisted -> new status); one that stays missing
// is left alone. Output vectors are sorted by canonical symbol.
SymbolDiff diff_symbols(const std::vector<StoredSymbol>& stored, const std::vector<domain::Symbol>& fetched);

// The tracked field values of a symbol, in kTrackedSymbolFields order (status as text).
std::vector<std::optional<std::string>> tracked_values(const domain::Symbol& symbol);

// True when every stored field (everything except exchange and bookkeeping) is equal.
bool same_stored_fields(const domain::Symbol& a, const domain::Symbol& b);

}  // namespace mdp::storage
