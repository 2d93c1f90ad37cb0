#include "SyncTestSupport.hpp"

#include <algorithm>
#include <sstream>

#include "Sql.hpp"
#include "SymbolRepository.hpp"
#include "SyncRunRepository.hpp"

namespace mdp::sync::test {

FakeExchangeAdapter::FakeExchangeAdapter(std::string id) {
  descriptor_.id = std::move(id);
  descriptor_.name = "Fake " + descriptor_.id;
  descriptor_.version = "1.0.0";
  descriptor_.abi = "1.0";
  descriptor_.intervals = {{"1m", "1m", 1000}, {"1h", "60", 500}};
}

std::vector<domain::Symbol> FakeExchangeAdapter::list_symbols(const domain::CallContext& context) {
  std::unique_lock<std::mutex> lock(mutex_);
  ++calls_;
  if (held_) {
    ++waiting_;
    changed_.notify_all();
    while (held_ && !context.cancelled()) changed_.wait_for(lock, 5ms);
    --waiting_;
    if (context.cancelled()) throw domain::AdapterError(domain::AdapterErrorCode::Cancelled, "call cancelled");
  }
  if (error_) throw *error_;
  return symbols_;
}

domain::CandlePage FakeExchangeAdapter::fetch_candles(const domain::CandlePageRequest&, const domain::CallContext&) {
  throw domain::AdapterError(domain::AdapterErrorCode::Unsupported, "the fake serves no candles");
}

void FakeExchangeAdapter::set_symbols(std::vector<domain::Symbol> symbols) {
  std::lock_guard<std::mutex> lock(mutex_);
  symbols_ = std::move(symbols);
  error_.reset();
}

void FakeExchangeAdapter::fail_with(domain::AdapterError error) {
  std::lock_guard<std::mutex> lock(mutex_);
  error_ = std::move(error);
}

void FakeExchangeAdapter::hold() {
  std::lock_guard<std::mutex> lock(mutex_);
  held_ = true;
}

void FakeExchangeAdapter::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  held_ = false;
  changed_.notify_all();
}

bool FakeExchangeAdapter::wait_until_held(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [this] { return waiting_ > 0; });
}

int FakeExchangeAdapter::calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return calls_;
}

domain::Symbol spot(const std::string& exchange, const std::string& base, const std::string& tick) {
  domain::Symbol s;
  s.exchange = exchange;
  s.market_type = domain::MarketType::Spot;
  s.base = base;
  s.quote = "USDT";
  s.symbol = base + "/USDT";
  s.native_symbol = base + "USDT";
  s.status = domain::SymbolStatus::Trading;
  s.tick_size = tick;
  s.lot_step = "0.001";
  s.min_qty = "0.001";
  s.min_notional = "5";
  s.native_status = "TRADING";
  s.listed_at_ms = 1500000000000;
  return s;
}

std::vector<domain::Symbol> spots(const std::string& exchange, int count) {
  std::vector<domain::Symbol> out;
  for (int i = 0; i < count; ++i) out.push_back(spot(exchange, "C" + std::to_string(i)));
  return out;
}

namespace {
std::string opt(const std::optional<std::string>& v) { return v ? *v : "<null>"; }
std::string opt(const std::optional<std::int64_t>& v) { return v ? std::to_string(*v) : "<null>"; }
std::string opt(const std::optional<std::int32_t>& v) { return v ? std::to_string(*v) : "<null>"; }
}  // namespace

std::vector<std::string> symbol_rows(storage::Database& db, const std::string& exchange) {
  std::vector<std::string> out;
  for (const storage::StoredSymbol& s : storage::SymbolRepository(db).load_exchange(exchange)) {
    std::ostringstream line;
    line << s.id << '|' << s.symbol << '|' << s.native_symbol << '|' << domain::to_string(s.market_type) << '|'
         << domain::to_string(s.status) << '|' << s.base << '|' << s.quote << '|' << opt(s.settle) << '|'
         << opt(s.tick_size) << '|' << opt(s.lot_step) << '|' << opt(s.min_qty) << '|' << opt(s.min_notional) << '|'
         << opt(s.contract_size) << '|' << opt(s.listed_at_ms) << '|' << opt(s.delivery_at_ms) << '|'
         << opt(s.price_max_decimals) << '|' << opt(s.price_max_sig_figs) << '|' << opt(s.alias_of) << '|'
         << opt(s.native_status) << '|' << s.first_seen_ms << '|' << s.last_seen_ms << '|' << opt(s.delisted_at_ms)
         << '|' << s.updated_at_ms;
    out.push_back(line.str());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t count_rows(storage::Database& db, const std::string& table) {
  storage::Lease lease = db.acquire();
  // `table` is a fixed name from the test code, never input.
  return storage::sql::Query(lease, "test.count", "SELECT COUNT(*) FROM " + table).rows()[0].int64(0);
}

std::vector<storage::SyncRun> runs_of(storage::Database& db, const std::string& exchange) {
  std::vector<storage::SyncRun> runs = storage::SyncRunRepository(db).list_recent(exchange, 1000);
  std::reverse(runs.begin(), runs.end());
  return runs;
}

int terminate_backends(storage::Database& admin, const std::string& application_name) {
  storage::Lease lease = admin.acquire();
  storage::sql::Rows rows =
      storage::sql::Query(lease, "test.terminate",
                          "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                          "WHERE application_name = ? AND pid <> pg_backend_pid()) AS t")
          .text("application_name", application_name)
          .rows();
  return static_cast<int>(rows[0].int64(0));
}

}  // namespace mdp::sync::test
