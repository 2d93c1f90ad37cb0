// Shared pieces of the syncer tests: a scriptable ExchangeAdapter (answers, failures, a gate
// that holds list_symbols until the test lets it go), table snapshots for "nothing changed"
// comparisons, and PostgreSQL helpers to cut this test's connections (a server restart as
// this process sees it, without touching the shared cluster).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "Database.hpp"
#include "ExchangeAdapter.hpp"
#include "StorageModel.hpp"

namespace mdp::sync::test {

using namespace std::chrono_literals;

// An exchange whose list_symbols answers what the test scripted. Thread-safe.
class FakeExchangeAdapter final : public domain::ExchangeAdapter {
 public:
  explicit FakeExchangeAdapter(std::string id);

  const domain::ExchangeDescriptor& descriptor() const override { return descriptor_; }
  std::vector<domain::Symbol> list_symbols(const domain::CallContext& context) override;
  domain::CandlePage fetch_candles(const domain::CandlePageRequest& request,
                                   const domain::CallContext& context) override;

  void set_symbols(std::vector<domain::Symbol> symbols);
  // Every following call throws `error` (until set_symbols()).
  void fail_with(domain::AdapterError error);
  // While held, list_symbols announces itself and waits for release() or its context's
  // cancellation (then it throws AdapterError Cancelled, like a plugin would).
  void hold();
  void release();
  // Waits until a call is waiting at the gate (true) or `timeout` passed (false).
  bool wait_until_held(std::chrono::milliseconds timeout = 10s);
  int calls() const;

 private:
  domain::ExchangeDescriptor descriptor_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<domain::Symbol> symbols_;
  std::optional<domain::AdapterError> error_;
  bool held_ = false;
  int waiting_ = 0;
  int calls_ = 0;
};

// A spot symbol of exchange `exchange` with plausible metadata.
domain::Symbol spot(const std::string& exchange, const std::string& base, const std::string& tick = "0.01");
std::vector<domain::Symbol> spots(const std::string& exchange, int count);

// Every stored symbol of the exchange as one line with every column (bookkeeping too), for
// "the previous snapshot is intact" comparisons.
std::vector<std::string> symbol_rows(storage::Database& db, const std::string& exchange);
std::int64_t count_rows(storage::Database& db, const std::string& table);
std::vector<storage::SyncRun> runs_of(storage::Database& db, const std::string& exchange);  // oldest first

// PostgreSQL: terminates every backend whose application_name is `application_name`
// (run from another Database). Returns how many.
int terminate_backends(storage::Database& admin, const std::string& application_name);

// Waits until pred() holds or `timeout` passed; the caller asserts on the result.
template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 20s) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

}  // namespace mdp::sync::test
