// Host sinks that receive a plugin's rows (mdp_symbol_sink / mdp_candle_sink), validate
// every byte they are given and convert the rows into the canonical model. Nothing a plugin
// emits is trusted: sizes, strides, pointers, string lengths, UTF-8, decimals, enum codes,
// times and ordering are all checked. The first violation is kept (naming the field and
// the row index), the sink refuses further rows with MDP_E_SINK_REJECTED, and the caller
// (PluginAdapter) discards the whole result and reports PluginBadOutput.
//
// thread: one collector per operation call; not shared between threads.
#pragma once

#include <mdp/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "ExchangeAdapter.hpp"
#include "MarketModel.hpp"

namespace mdp::plugins {

// Bytes that the ABI 1.0 fields of a row occupy: a row's struct_size is never smaller.
inline constexpr std::size_t kSymbolRowV1Size = offsetof(mdp_symbol, native_status) + sizeof(const char*);
inline constexpr std::size_t kCandleRowV1Size = offsetof(mdp_candle, closed) + sizeof(std::int32_t);

struct OutputLimits {
  std::size_t max_symbols = 1'000'000;  // rows per list_symbols call (bounds host memory)
  std::size_t max_symbol_text = 256;    // bytes of a symbol/native/base/... text field
  std::size_t max_row_stride = 4096;    // bytes between two rows
};

// Common part: the first violation, and writing it into the call's host-owned error.
class RowCollector {
 public:
  bool failed() const noexcept { return failed_; }
  const std::string& violation() const noexcept { return violation_; }
  // Records a violation that was found outside emit() (e.g. in the page).
  void fail(std::string message) noexcept;

 protected:
  explicit RowCollector(mdp_error* err) noexcept : err_(err) {}
  // Records `message` (the first one wins) and returns MDP_E_SINK_REJECTED.
  mdp_status reject(std::string message) noexcept;
  // Copies row `index` (ABI rule: min(struct_size, sizeof) with zero fill) after checking its
  // struct_size against the ABI 1.0 minimum and the stride. False after reject().
  template <class Row>
  bool copy_row(const unsigned char* bytes, std::size_t stride, std::size_t minimum,
                std::size_t index, Row& out) noexcept;
  // Validates the emit() arguments. False after reject().
  bool check_batch(const void* rows, std::size_t count, std::size_t stride, std::size_t minimum,
                   std::size_t max_row_stride, std::size_t room, const char* what) noexcept;

  // Text of a field: read with `cap`, valid UTF-8, no control characters, non-empty when
  // `required`. False after reject().
  bool text(const char* value, std::size_t cap, std::size_t index, const char* field, bool required,
            std::string& out) noexcept;
  // Canonical decimal, or "" when `optional`. False after reject().
  bool decimal(const char* value, std::size_t index, const char* field, bool optional,
               std::string& out) noexcept;

 private:
  mdp_error* err_;
  bool failed_ = false;
  std::string violation_;
};

class SymbolCollector : public RowCollector {
 public:
  // `err` is the operation's host-owned error; a rejection writes its reason there too.
  SymbolCollector(std::string exchange, const OutputLimits& limits, mdp_error* err = nullptr);
  SymbolCollector(const SymbolCollector&) = delete;
  SymbolCollector& operator=(const SymbolCollector&) = delete;

  // The ABI sink whose ctx is this collector (valid while the collector lives).
  mdp_symbol_sink sink() noexcept;
  mdp_status emit(const mdp_symbol* rows, std::size_t count, std::size_t row_stride) noexcept;
  std::size_t size() const noexcept { return symbols_.size(); }
  std::vector<domain::Symbol> take() noexcept { return std::move(symbols_); }

 private:
  bool convert(const mdp_symbol& row, std::size_t index, domain::Symbol& out) noexcept;

  std::string exchange_;
  OutputLimits limits_;
  std::size_t next_index_ = 0;
  std::vector<domain::Symbol> symbols_;
  std::unordered_set<std::string> seen_symbols_;
  std::unordered_set<std::string> seen_natives_;
};

class CandleCollector : public RowCollector {
 public:
  // Rows must lie in [request.start_ms, request.end_ms), at most request.max_rows of them.
  CandleCollector(const domain::CandlePageRequest& request, const OutputLimits& limits,
                  mdp_error* err = nullptr);
  CandleCollector(const CandleCollector&) = delete;
  CandleCollector& operator=(const CandleCollector&) = delete;

  mdp_candle_sink sink() noexcept;
  mdp_status emit(const mdp_candle* rows, std::size_t count, std::size_t row_stride) noexcept;
  // Checks the page a successful call filled in; false (with violation()) when invalid.
  bool finish(const mdp_candle_page& page) noexcept;
  std::size_t size() const noexcept { return page_.candles.size(); }
  domain::CandlePage take() noexcept { return std::move(page_); }

 private:
  bool convert(const mdp_candle& row, std::size_t index, domain::Candle& out) noexcept;

  std::int64_t start_ms_;
  std::int64_t end_ms_;
  std::size_t max_rows_;
  OutputLimits limits_;
  std::size_t next_index_ = 0;
  domain::CandlePage page_;
};

}  // namespace mdp::plugins
