// mdp_sdk_plugin_checker <path/to/mdp-<id>.so> <expected id>
//
// Loads a plugin the way the host does (dlopen RTLD_NOW | RTLD_LOCAL, then dlsym of the one
// entry symbol) and checks the table before calling anything: magic, ABI major/minor,
// struct_size, required pointers, descriptor (id, intervals). Then drives one instance
// against an offline stub host: list_symbols and one fetch_candles page, checking every row
// it emits (canonical decimals, order, range, max_rows). Prints "OK ..." and exits 0, or
// prints "FAIL: <reason>" and exits 1. The plugin must not need the network.
#include <dlfcn.h>
#include <mdp/decimal.hpp>
#include <mdp/plugin_abi.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

struct mdp_host {
  int unused;
};
struct mdp_call {
  int unused;
};

namespace {

int g_failures = 0;

void fail(const std::string& what) {
  std::fprintf(stderr, "FAIL: %s\n", what.c_str());
  ++g_failures;
}

bool check(bool ok, const std::string& what) {
  if (!ok) fail(what);
  return ok;
}

std::string text(const char* s) { return s != nullptr ? s : "<NULL>"; }

bool valid_id(const char* id) {
  if (id == nullptr) return false;
  const std::size_t n = std::strlen(id);
  if (n == 0 || n > 32) return false;
  for (std::size_t i = 0; i < n; ++i) {
    const char c = id[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

// The canonical interval catalogue (fixed-length ones; 1M is calendar-based).
const std::map<std::string, std::int64_t> kIntervalMs = {
    {"1m", 60'000},         {"3m", 180'000},        {"5m", 300'000},         {"15m", 900'000},
    {"30m", 1'800'000},     {"1h", 3'600'000},      {"2h", 7'200'000},       {"4h", 14'400'000},
    {"6h", 21'600'000},     {"8h", 28'800'000},     {"12h", 43'200'000},     {"1d", 86'400'000},
    {"3d", 259'200'000},    {"1w", 604'800'000},    {"1M", 2'592'000'000}};

void check_decimal(const char* value, bool may_be_absent, const std::string& where) {
  if (!check(value != nullptr, where + " is NULL")) return;
  if (may_be_absent && value[0] == '\0') return;
  check(mdp::is_canonical_decimal(value), where + " is not a canonical decimal: '" + text(value) + "'");
}

// Reads row i the way the host does: min(struct_size, sizeof) bytes at the given stride.
template <class Row>
Row read_row(const void* base, std::size_t i, std::size_t stride) {
  Row row{};
  const auto* bytes = static_cast<const unsigned char*>(base) + i * stride;
  std::size_t size = 0;
  std::memcpy(&size, bytes, sizeof size);
  std::memcpy(&row, bytes, size < sizeof(Row) ? size : sizeof(Row));
  return row;
}

struct Collected {
  std::vector<mdp_symbol> symbols;
  std::vector<std::string> native_symbols;
  std::vector<mdp_candle> candles;
};

mdp_status on_symbols(void* ctx, const mdp_symbol* rows, std::size_t count, std::size_t stride) {
  auto* c = static_cast<Collected*>(ctx);
  if (stride < sizeof(std::size_t)) return MDP_E_SINK_REJECTED;
  for (std::size_t i = 0; i < count; ++i) {
    const mdp_symbol r = read_row<mdp_symbol>(rows, i, stride);
    const std::string where = "symbol row " + std::to_string(c->symbols.size());
    check(r.struct_size >= sizeof(mdp_symbol), where + ": struct_size below ABI 1.0's");
    check(r.symbol != nullptr && r.symbol[0] != '\0', where + ": empty canonical symbol");
    check(r.native_symbol != nullptr && r.native_symbol[0] != '\0', where + ": empty native symbol");
    check(r.market_type >= MDP_MARKET_SPOT && r.market_type <= MDP_MARKET_FUTURE, where + ": bad market_type");
    check(r.status >= MDP_SYMBOL_TRADING && r.status <= MDP_SYMBOL_DELISTED, where + ": bad status");
    for (const char* s : {r.base, r.quote, r.settle, r.alias_of, r.native_status}) {
      check(s != nullptr, where + ": NULL text field");
    }
    check_decimal(r.tick_size, true, where + " tick_size");
    check_decimal(r.lot_step, true, where + " lot_step");
    check_decimal(r.min_qty, true, where + " min_qty");
    check_decimal(r.min_notional, true, where + " min_notional");
    check_decimal(r.contract_size, true, where + " contract_size");
    c->native_symbols.push_back(text(r.native_symbol));
    c->symbols.push_back(r);
  }
  return MDP_OK;
}

mdp_status on_candles(void* ctx, const mdp_candle* rows, std::size_t count, std::size_t stride) {
  auto* c = static_cast<Collected*>(ctx);
  if (stride < sizeof(std::size_t)) return MDP_E_SINK_REJECTED;
  for (std::size_t i = 0; i < count; ++i) {
    const mdp_candle r = read_row<mdp_candle>(rows, i, stride);
    const std::string where = "candle row " + std::to_string(c->candles.size());
    check(r.struct_size >= sizeof(mdp_candle), where + ": struct_size below ABI 1.0's");
    check_decimal(r.open, false, where + " open");
    check_decimal(r.high, false, where + " high");
    check_decimal(r.low, false, where + " low");
    check_decimal(r.close, false, where + " close");
    check_decimal(r.volume, false, where + " volume");
    check_decimal(r.quote_volume, true, where + " quote_volume");
    check(r.trades >= -1, where + ": trades below -1");
    check(r.closed == 0 || r.closed == 1, where + ": closed is not 0/1");
    c->candles.push_back(r);
  }
  return MDP_OK;
}

const std::int64_t kNowMs = 1'717'200'000'000;  // 2024-06-01T00:00:00Z

mdp_status no_network(mdp_call*, const mdp_http_request* req, mdp_http_response*, mdp_error* err) {
  const std::string message = "checker: no network (" + text(req != nullptr ? req->url : nullptr) + ")";
  if (err != nullptr && err->message != nullptr && err->message_capacity > 0) {
    std::snprintf(err->message, err->message_capacity, "%s", message.c_str());
  }
  return MDP_E_UPSTREAM_UNAVAILABLE;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <plugin.so> <expected id>\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const std::string expected_id = argv[2];

  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    fail("dlopen(" + path + "): " + text(dlerror()));
    return 1;
  }
  void* symbol = dlsym(handle, MDP_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    fail(std::string("no ") + MDP_PLUGIN_ENTRY_SYMBOL + " in " + path);
    return 1;
  }
  mdp_plugin_entry_fn entry = nullptr;
  static_assert(sizeof entry == sizeof symbol, "function and object pointers differ in size");
  std::memcpy(&entry, &symbol, sizeof entry);
  const mdp_plugin_api* api = entry();

  // Load checks, in the host's order, before any plugin logic runs.
  if (!check(api != nullptr, "entry returned NULL")) return 1;
  if (!check(api->magic == MDP_PLUGIN_MAGIC, "bad magic " + std::to_string(api->magic))) return 1;
  if (!check(api->abi_major == MDP_ABI_MAJOR, "built against ABI major " + std::to_string(api->abi_major) +
                                                  ", checker has " + std::to_string(MDP_ABI_MAJOR))) {
    return 1;
  }
  if (!check(api->abi_minor == MDP_ABI_MINOR, "built against ABI minor " + std::to_string(api->abi_minor) +
                                                  ", checker has " + std::to_string(MDP_ABI_MINOR))) {
    return 1;
  }
  if (!check(api->struct_size >= sizeof(mdp_plugin_api), "plugin table struct_size " +
                                                             std::to_string(api->struct_size) + " too small")) {
    return 1;
  }
  if (!check(api->descriptor != nullptr && api->create != nullptr && api->destroy != nullptr &&
                 api->list_symbols != nullptr && api->fetch_candles != nullptr,
             "a required pointer of the plugin table is NULL")) {
    return 1;
  }
  const mdp_plugin_descriptor* d = api->descriptor;
  check(d->struct_size >= sizeof(mdp_plugin_descriptor), "descriptor struct_size too small");
  check(valid_id(d->id), "descriptor id '" + text(d->id) + "' is not [a-z0-9_-]{1,32}");
  check(text(d->id) == expected_id, "descriptor id is '" + text(d->id) + "', expected '" + expected_id + "'");
  check(d->name != nullptr && d->name[0] != '\0', "descriptor name is empty");
  check(d->version != nullptr && d->version[0] != '\0', "descriptor version is empty");
  if (!check(d->interval_count > 0 && d->intervals != nullptr, "descriptor has no intervals")) return 1;
  if (!check(d->interval_stride >= d->intervals[0].struct_size && d->intervals[0].struct_size >= sizeof(mdp_interval_support),
             "descriptor interval_stride/struct_size too small")) {
    return 1;
  }
  std::vector<mdp_interval_support> intervals;
  for (std::size_t i = 0; i < d->interval_count; ++i) {
    const auto iv = read_row<mdp_interval_support>(d->intervals, i, d->interval_stride);
    check(iv.interval != nullptr && kIntervalMs.count(iv.interval) == 1,
          "interval '" + text(iv.interval) + "' is not in the canonical catalogue");
    check(iv.native_code != nullptr, "interval native_code is NULL");
    check(iv.page_cap >= 1, "interval page_cap is 0");
    intervals.push_back(iv);
  }
  if (g_failures != 0) return 1;

  // One instance against an offline stub host.
  mdp_host_api host_api{};
  host_api.struct_size = sizeof host_api;
  host_api.abi_major = MDP_ABI_MAJOR;
  host_api.abi_minor = MDP_ABI_MINOR;
  host_api.log = [](mdp_host*, std::int32_t, const char*) {};
  host_api.log_enabled = [](mdp_host*, std::int32_t) { return false; };
  host_api.now_ms = [](mdp_host*) { return kNowMs; };
  host_api.http_send = &no_network;
  host_api.is_cancelled = [](mdp_call*) { return false; };
  mdp_host host{0};
  mdp_call call{0};
  const mdp_plugin_config config{sizeof(mdp_plugin_config), nullptr, 0};
  char buffer[512] = {0};
  mdp_error err{sizeof(mdp_error), buffer, sizeof buffer, -1, 0};
  mdp_plugin* plugin = nullptr;
  if (!check(api->create(&host_api, &host, &config, &plugin, &err) == MDP_OK && plugin != nullptr,
             std::string("create failed: ") + buffer)) {
    return 1;
  }

  Collected got;
  const mdp_symbol_sink symbol_sink{sizeof(mdp_symbol_sink), &got, &on_symbols};
  buffer[0] = '\0';
  const mdp_status listed = api->list_symbols(plugin, &call, &symbol_sink, &err);
  check(listed == MDP_OK, "list_symbols returned " + std::to_string(listed) + ": " + buffer);
  check(!got.symbols.empty(), "list_symbols emitted no symbols");

  if (listed == MDP_OK && !got.symbols.empty()) {
    const mdp_interval_support& iv = intervals.front();
    const std::int64_t step = kIntervalMs.at(iv.interval);
    const std::int64_t end = kNowMs / step * step;
    const std::int64_t start = end - 10 * step;
    const std::uint32_t max_rows = iv.page_cap < 5 ? iv.page_cap : 5;
    const mdp_candle_request req{sizeof(mdp_candle_request), got.native_symbols.front().c_str(), iv.interval,
                                 start, end, max_rows};
    mdp_candle_page page{sizeof(mdp_candle_page), -2, -2};
    const mdp_candle_sink candle_sink{sizeof(mdp_candle_sink), &got, &on_candles};
    buffer[0] = '\0';
    const mdp_status fetched = api->fetch_candles(plugin, &call, &req, &candle_sink, &page, &err);
    check(fetched == MDP_OK, "fetch_candles returned " + std::to_string(fetched) + ": " + buffer);
    check(!got.candles.empty(), "fetch_candles emitted no candles for " + got.native_symbols.front());
    check(got.candles.size() <= max_rows, "fetch_candles emitted more than max_rows");
    for (std::size_t i = 0; i < got.candles.size(); ++i) {
      const mdp_candle& c = got.candles[i];
      check(c.open_time_ms >= start && c.open_time_ms < end, "candle " + std::to_string(i) + " outside [start, end)");
      check(i == 0 || c.open_time_ms > got.candles[i - 1].open_time_ms, "candles not strictly ascending");
      check(c.close_time_ms == c.open_time_ms + step - 1, "candle close_time is not open_time + duration - 1");
    }
    check(page.next_start_ms == -1 ||
              (page.next_start_ms > got.candles.back().open_time_ms && page.next_start_ms < end),
          "page.next_start_ms " + std::to_string(page.next_start_ms) + " is neither -1 nor inside the range");
    check(page.available_from_ms >= -1, "page.available_from_ms was not written");
  }
  api->destroy(plugin);
  // Never dlclose: the host does not unload plugins while it runs.

  if (g_failures != 0) return 1;
  std::printf("OK %s: id=%s abi=%u.%u symbols=%zu candles=%zu\n", path.c_str(), d->id, api->abi_major,
              api->abi_minor, got.symbols.size(), got.candles.size());
  return 0;
}
