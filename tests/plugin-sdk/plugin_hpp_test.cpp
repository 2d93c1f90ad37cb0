// mdp/plugin.hpp: the exception firewall (every exception -> status + message, written into a
// small host-owned buffer without overflow), create() failures, argument checks, Call::send,
// the sinks' batching and their stop-on-reject behaviour, and MDP_DEFINE_PLUGIN's table.
#include <mdp/plugin.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

// The opaque host handles are the host's to define; the test host defines them.
struct mdp_host {
  int unused;
};
struct mdp_call {
  bool cancelled;
};

namespace {

using mdp::sdk::Error;

// ------------------------------------------------------------------ a test host

// Host-owned error buffer with a guard zone: the plugin may use `capacity` bytes; the bytes
// after them must keep their sentinel value whatever the plugin writes.
struct ErrorBuffer {
  static constexpr std::size_t kGuard = 64;
  static constexpr char kSentinel = '\x5a';
  explicit ErrorBuffer(std::size_t capacity) : storage(capacity + kGuard, kSentinel), err{} {
    if (capacity > 0) storage[0] = '\0';  // the host passes an empty message
    err.struct_size = sizeof(mdp_error);
    err.message = storage.data();
    err.message_capacity = capacity;
    err.retry_after_ms = -1;
    err.upstream_status = 0;
  }
  std::string text() const { return std::string(storage.data()); }
  bool guard_intact() const {
    for (std::size_t i = err.message_capacity; i < storage.size(); ++i) {
      if (storage[i] != kSentinel) return false;
    }
    return true;
  }
  std::vector<char> storage;
  mdp_error err;
};

struct FakeHost {
  FakeHost() {
    api.struct_size = sizeof(api);
    api.abi_major = MDP_ABI_MAJOR;
    api.abi_minor = MDP_ABI_MINOR;
    api.log = [](mdp_host*, std::int32_t, const char*) {};
    api.log_enabled = [](mdp_host*, std::int32_t) { return false; };
    api.now_ms = [](mdp_host*) { return static_cast<std::int64_t>(1'700'000'000'000); };
    api.http_send = &FakeHost::send;
    api.is_cancelled = [](mdp_call* c) { return c->cancelled; };
  }
  static mdp_status send(mdp_call*, const mdp_http_request* req, mdp_http_response* resp, mdp_error* err) {
    const std::string url = req->url;
    if (url.find("/down") != std::string::npos) {
      mdp::sdk::detail::write_error(err, "connect: connection refused");
      return MDP_E_UPSTREAM_UNAVAILABLE;
    }
    if (url.find("/budget") != std::string::npos) {
      err->retry_after_ms = 750;
      mdp::sdk::detail::write_error(err, "rate budget exhausted");
      return MDP_E_OUT_OF_BUDGET;
    }
    static const char kBody[] = "{\"ok\":true}";
    resp->status = url.find("/429") != std::string::npos ? 429 : 200;
    resp->body = kBody;
    resp->body_size = sizeof(kBody) - 1;
    resp->content_type = "application/json";
    resp->retry_after_ms = resp->status == 429 ? 2000 : -1;
    return MDP_OK;
  }
  mdp_host_api api{};
  mdp_host host{0};
  mdp_call call{false};
};

// ------------------------------------------------------------------ a configurable plugin

// What the plugin does is chosen by its config, so every path goes through the real Config.
std::string g_last_body;  // what an operation observed, for assertions

void throw_kind(const std::string& kind) {
  if (kind == "sdk_error") throw Error(MDP_E_UPSTREAM_RATE_LIMITED, "slow down", 1500, 429);
  if (kind == "sdk_error_ok") throw Error(MDP_OK, "thrown with MDP_OK");
  if (kind == "sdk_error_unknown") throw Error(999, "thrown with an unknown status");
  if (kind == "runtime") throw std::runtime_error("boom: " + std::string(300, 'x'));
  if (kind == "bad_alloc") throw std::bad_alloc();
  if (kind == "int") throw 42;
  if (kind == "empty_what") throw std::runtime_error("");
}

class TestPlugin final : public mdp::sdk::Plugin {
 public:
  TestPlugin(mdp::sdk::Host& host, const mdp::sdk::Config& config)
      : op_throw_(config.get("op_throw", "")),
        rows_(std::stoul(config.get("rows", "0"))),
        url_(config.get("url", "")) {
    (void)host;
    throw_kind(config.get("ctor_throw", ""));
  }

  void list_symbols(mdp::sdk::Call& call, mdp::sdk::SymbolSink& sink) override {
    if (!url_.empty()) {
      const mdp::sdk::HttpResponse r = call.send({"GET", url_, {{"Accept", "application/json"}}, "", 2});
      mdp::sdk::raise_for_common_status(r, "test");
      g_last_body = std::string(r.body);
    }
    throw_kind(op_throw_);
    std::vector<mdp::sdk::Symbol> rows(rows_);
    for (std::size_t i = 0; i < rows_; ++i) {
      rows[i].symbol = "S" + std::to_string(i) + "/USD";
      rows[i].native_symbol = "S" + std::to_string(i);
      rows[i].market_type = MDP_MARKET_SPOT;
      rows[i].status = MDP_SYMBOL_TRADING;
      rows[i].listed_at_ms = static_cast<std::int64_t>(i);
    }
    sink.emit(rows);
    after_emit_ = true;
  }

  mdp::sdk::PageResult fetch_candles(mdp::sdk::Call& call, const mdp::sdk::CandleRequest& req,
                                     mdp::sdk::CandleSink& sink) override {
    (void)call;
    throw_kind(op_throw_);
    std::vector<mdp::sdk::Candle> rows(rows_);
    for (std::size_t i = 0; i < rows_; ++i) {
      rows[i].open_time_ms = req.start_ms + static_cast<std::int64_t>(i) * 60'000;
      rows[i].close_time_ms = rows[i].open_time_ms + 59'999;
      rows[i].open = rows[i].high = rows[i].low = rows[i].close = std::to_string(i);
      rows[i].volume = "1.5";
      rows[i].trades = static_cast<std::int64_t>(i);
    }
    // Emit in two calls of uneven size to check that row order survives batching.
    const std::size_t half = rows_ / 3;
    sink.emit(rows.data(), half);
    sink.emit(rows.data() + half, rows_ - half);
    after_emit_ = true;
    mdp::sdk::PageResult page;
    page.next_start_ms = req.end_ms - 1;
    page.available_from_ms = 42;
    return page;
  }

  static bool after_emit_;

 private:
  std::string op_throw_;
  std::size_t rows_;
  std::string url_;
};
bool TestPlugin::after_emit_ = false;

const mdp_interval_support kIntervals[] = {{sizeof(mdp_interval_support), "1m", "1m", 1000}};
const mdp_plugin_descriptor kDescriptor = {sizeof(mdp_plugin_descriptor), "sdk_test", "SDK test", "0.0.1",
                                           kIntervals, 1, sizeof(mdp_interval_support)};

using T = mdp::sdk::detail::Trampolines<TestPlugin>;

// Creates an instance with the given config; returns the status, fills `out`.
mdp_status create(FakeHost& host, const std::vector<std::pair<std::string, std::string>>& config,
                  mdp_plugin** out, ErrorBuffer& err) {
  std::vector<mdp_config_entry> entries;
  for (const auto& kv : config) entries.push_back({kv.first.c_str(), kv.second.c_str()});
  const mdp_plugin_config cfg{sizeof(mdp_plugin_config), entries.data(), entries.size()};
  return T::create(&host.api, &host.host, &cfg, out, &err.err);
}

struct Instance {
  explicit Instance(FakeHost& host, const std::vector<std::pair<std::string, std::string>>& config) {
    ErrorBuffer err(256);
    const mdp_status status = create(host, config, &plugin, err);
    if (status != MDP_OK) throw std::runtime_error("create failed: " + err.text());
  }
  ~Instance() { T::destroy(plugin); }
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  mdp_plugin* plugin = nullptr;
};

// Records what the host's sinks receive, reading rows at the given stride.
struct SinkRecorder {
  std::vector<std::size_t> batch_sizes;
  std::vector<std::size_t> strides;
  std::vector<std::int64_t> keys;       // listed_at_ms / open_time_ms of every row, in order
  std::size_t reject_on_call = 0;       // 1-based; 0 = never
  mdp_status reject_status = MDP_E_SINK_REJECTED;
  const char* reject_reason = nullptr;  // written into the call's error when rejecting
  mdp_error* err = nullptr;

  mdp_status on_batch(std::size_t count, std::size_t stride) {
    batch_sizes.push_back(count);
    strides.push_back(stride);
    if (reject_on_call != 0 && batch_sizes.size() == reject_on_call) {
      if (reject_reason != nullptr) mdp::sdk::detail::write_error(err, reject_reason);
      return reject_status;
    }
    return MDP_OK;
  }
  static mdp_status symbols(void* ctx, const mdp_symbol* rows, std::size_t count, std::size_t stride) {
    auto* self = static_cast<SinkRecorder*>(ctx);
    const auto* bytes = reinterpret_cast<const unsigned char*>(rows);
    for (std::size_t i = 0; i < count; ++i) {
      const auto* row = reinterpret_cast<const mdp_symbol*>(bytes + i * stride);
      EXPECT_EQ(row->struct_size, sizeof(mdp_symbol));
      EXPECT_EQ(std::string(row->native_symbol), "S" + std::to_string(row->listed_at_ms));
      self->keys.push_back(row->listed_at_ms);
    }
    return self->on_batch(count, stride);
  }
  static mdp_status candles(void* ctx, const mdp_candle* rows, std::size_t count, std::size_t stride) {
    auto* self = static_cast<SinkRecorder*>(ctx);
    const auto* bytes = reinterpret_cast<const unsigned char*>(rows);
    for (std::size_t i = 0; i < count; ++i) {
      const auto* row = reinterpret_cast<const mdp_candle*>(bytes + i * stride);
      EXPECT_EQ(row->struct_size, sizeof(mdp_candle));
      EXPECT_EQ(row->close_time_ms, row->open_time_ms + 59'999);
      EXPECT_STREQ(row->volume, "1.5");
      EXPECT_STREQ(row->quote_volume, "");
      EXPECT_EQ(row->closed, 1);
      self->keys.push_back(row->open_time_ms);
    }
    return self->on_batch(count, stride);
  }
};

// ------------------------------------------------------------------ write_error

TEST(PluginSdkErrorBuffer, TruncatesToCapacityAndNeverOverflows) {
  const std::string long_text(500, 'm');
  for (std::size_t capacity : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{8},
                               std::size_t{16}, std::size_t{499}, std::size_t{500}, std::size_t{501},
                               std::size_t{1024}}) {
    ErrorBuffer buffer(capacity);
    mdp::sdk::detail::write_error(&buffer.err, long_text.c_str());
    EXPECT_TRUE(buffer.guard_intact()) << "capacity " << capacity;
    EXPECT_EQ(buffer.text(), long_text.substr(0, capacity - 1)) << "capacity " << capacity;
  }
}

TEST(PluginSdkErrorBuffer, ToleratesMissingBuffers) {
  mdp::sdk::detail::write_error(nullptr, "x");
  ErrorBuffer zero(0);
  mdp::sdk::detail::write_error(&zero.err, "x");
  EXPECT_TRUE(zero.guard_intact());
  mdp_error no_buffer{sizeof(mdp_error), nullptr, 16, -1, 0};
  mdp::sdk::detail::write_error(&no_buffer, "x");
  ErrorBuffer buffer(8);
  mdp::sdk::detail::write_error(&buffer.err, nullptr);
  EXPECT_EQ(buffer.text(), "");
}

// ------------------------------------------------------------------ the exception firewall

struct Case {
  std::string kind;
  mdp_status status;
  std::string message;
};

const std::vector<Case> kFirewallCases = {
    {"sdk_error", MDP_E_UPSTREAM_RATE_LIMITED, "slow down"},
    {"sdk_error_ok", MDP_E_INTERNAL, "thrown with MDP_OK"},
    {"sdk_error_unknown", MDP_E_INTERNAL, "thrown with an unknown status"},
    {"runtime", MDP_E_INTERNAL, "boom: " + std::string(300, 'x')},
    {"bad_alloc", MDP_E_INTERNAL, "out of memory"},
    {"int", MDP_E_INTERNAL, "unknown exception"},
    {"empty_what", MDP_E_INTERNAL, ""},
};

TEST(PluginSdkFirewall, OperationExceptionsBecomeStatusAndMessage) {
  FakeHost host;
  for (const Case& c : kFirewallCases) {
    Instance instance(host, {{"op_throw", c.kind}});
    for (std::size_t capacity : {std::size_t{1}, std::size_t{12}, std::size_t{1024}}) {
      ErrorBuffer err(capacity);
      SinkRecorder rec;
      const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
      EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), c.status) << c.kind;
      EXPECT_EQ(err.text(), c.message.substr(0, capacity - 1)) << c.kind << " capacity " << capacity;
      EXPECT_TRUE(err.guard_intact()) << c.kind << " capacity " << capacity;
      if (c.kind == "sdk_error") {
        EXPECT_EQ(err.err.retry_after_ms, 1500);
        EXPECT_EQ(err.err.upstream_status, 429);
      } else {
        EXPECT_EQ(err.err.retry_after_ms, -1) << c.kind;
        EXPECT_EQ(err.err.upstream_status, 0) << c.kind;
      }

      ErrorBuffer err2(capacity);
      const mdp_candle_sink csink{sizeof(mdp_candle_sink), &rec, &SinkRecorder::candles};
      const mdp_candle_request req{sizeof(mdp_candle_request), "S0", "1m", 0, 60'000, 10};
      mdp_candle_page page{sizeof(mdp_candle_page), -2, -2};
      EXPECT_EQ(T::fetch_candles(instance.plugin, &host.call, &req, &csink, &page, &err2.err), c.status);
      EXPECT_EQ(err2.text(), c.message.substr(0, capacity - 1)) << c.kind;
      EXPECT_TRUE(err2.guard_intact());
      EXPECT_TRUE(rec.batch_sizes.empty());
    }
  }
}

TEST(PluginSdkFirewall, CreateFailureLeavesOutNullAndReportsWhy) {
  FakeHost host;
  for (const Case& c : kFirewallCases) {
    ErrorBuffer err(64);
    mdp_plugin* out = reinterpret_cast<mdp_plugin*>(&host);  // garbage the trampoline must clear
    EXPECT_EQ(create(host, {{"ctor_throw", c.kind}}, &out, err), c.status) << c.kind;
    EXPECT_EQ(out, nullptr) << c.kind;
    EXPECT_EQ(err.text(), c.message.substr(0, 63)) << c.kind;
    EXPECT_TRUE(err.guard_intact());
  }
  // std::stoul in the constructor throws std::invalid_argument: also contained.
  ErrorBuffer err(64);
  mdp_plugin* out = reinterpret_cast<mdp_plugin*>(&host);
  EXPECT_EQ(create(host, {{"rows", "many"}}, &out, err), MDP_E_INTERNAL);
  EXPECT_EQ(out, nullptr);
  EXPECT_FALSE(err.text().empty());
}

TEST(PluginSdkFirewall, CreateChecksTheHostTable) {
  FakeHost host;
  ErrorBuffer err(128);
  EXPECT_EQ(T::create(&host.api, &host.host, nullptr, nullptr, &err.err), MDP_E_INVALID_ARGUMENT);
  EXPECT_NE(err.text().find("out is NULL"), std::string::npos) << err.text();

  auto expect_refused = [&](const mdp_host_api* api, const std::string& why) {
    ErrorBuffer e(128);
    mdp_plugin* out = reinterpret_cast<mdp_plugin*>(&host);
    EXPECT_EQ(T::create(api, &host.host, nullptr, &out, &e.err), MDP_E_INVALID_ARGUMENT) << why;
    EXPECT_EQ(out, nullptr) << why;
    EXPECT_NE(e.text().find(why), std::string::npos) << e.text();
  };
  expect_refused(nullptr, "table is NULL");
  mdp_host_api small = host.api;
  small.struct_size = offsetof(mdp_host_api, is_cancelled);
  expect_refused(&small, "struct_size");
  mdp_host_api other_major = host.api;
  other_major.abi_major = MDP_ABI_MAJOR + 1;
  expect_refused(&other_major, "major");
  mdp_host_api no_send = host.api;
  no_send.http_send = nullptr;
  expect_refused(&no_send, "http_send");

  // A larger table from a newer host (minor bump) is fine; a NULL config means "no entries".
  mdp_host_api newer = host.api;
  newer.struct_size = sizeof(mdp_host_api) + 64;
  mdp_plugin* out = nullptr;
  ErrorBuffer ok(16);
  EXPECT_EQ(T::create(&newer, &host.host, nullptr, &out, &ok.err), MDP_OK);
  ASSERT_NE(out, nullptr);
  T::destroy(out);
}

TEST(PluginSdkFirewall, OperationsRejectNullArguments) {
  FakeHost host;
  Instance instance(host, {});
  SinkRecorder rec;
  const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
  const mdp_symbol_sink no_emit{sizeof(mdp_symbol_sink), &rec, nullptr};
  ErrorBuffer err(128);
  EXPECT_EQ(T::list_symbols(nullptr, &host.call, &sink, &err.err), MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, nullptr, &err.err), MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &no_emit, &err.err), MDP_E_INVALID_ARGUMENT);
  EXPECT_FALSE(err.text().empty());
  EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, nullptr), MDP_OK);  // err may be NULL

  const mdp_candle_sink csink{sizeof(mdp_candle_sink), &rec, &SinkRecorder::candles};
  mdp_candle_page page{sizeof(mdp_candle_page), -2, -2};
  const mdp_candle_request null_symbol{sizeof(mdp_candle_request), nullptr, "1m", 0, 60'000, 10};
  const mdp_candle_request empty_range{sizeof(mdp_candle_request), "S0", "1m", 60'000, 60'000, 10};
  const mdp_candle_request no_rows{sizeof(mdp_candle_request), "S0", "1m", 0, 60'000, 0};
  EXPECT_EQ(T::fetch_candles(instance.plugin, &host.call, &null_symbol, &csink, &page, &err.err),
            MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(T::fetch_candles(instance.plugin, &host.call, &empty_range, &csink, &page, &err.err),
            MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(T::fetch_candles(instance.plugin, &host.call, &no_rows, &csink, &page, &err.err),
            MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(T::fetch_candles(instance.plugin, &host.call, &empty_range, &csink, nullptr, &err.err),
            MDP_E_INVALID_ARGUMENT);
  EXPECT_EQ(page.next_start_ms, -2);
  EXPECT_TRUE(rec.batch_sizes.empty());
}

// ------------------------------------------------------------------ Call::send

TEST(PluginSdkCall, SendMapsTransportFailuresAndCommonStatuses) {
  FakeHost host;
  {
    Instance instance(host, {{"url", "https://example.test/ok"}});
    SinkRecorder rec;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    ErrorBuffer err(128);
    EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), MDP_OK) << err.text();
    EXPECT_EQ(g_last_body, "{\"ok\":true}");
  }
  {
    Instance instance(host, {{"url", "https://example.test/down"}});
    SinkRecorder rec;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    ErrorBuffer err(128);
    EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), MDP_E_UPSTREAM_UNAVAILABLE);
    EXPECT_EQ(err.text(), "connect: connection refused");
  }
  {
    Instance instance(host, {{"url", "https://example.test/budget"}});
    SinkRecorder rec;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    ErrorBuffer err(128);
    EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), MDP_E_OUT_OF_BUDGET);
    EXPECT_EQ(err.text(), "rate budget exhausted");
    EXPECT_EQ(err.err.retry_after_ms, 750);
  }
  {
    Instance instance(host, {{"url", "https://example.test/429"}});
    SinkRecorder rec;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    ErrorBuffer err(128);
    EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), MDP_E_UPSTREAM_RATE_LIMITED);
    EXPECT_EQ(err.text(), "test: rate limited (HTTP 429)");
    EXPECT_EQ(err.err.retry_after_ms, 2000);
    EXPECT_EQ(err.err.upstream_status, 429);
  }
}

TEST(PluginSdkCall, DecimalOrThrowNamesTheField) {
  EXPECT_EQ(mdp::sdk::decimal_or_throw("0.0100", "tickSize"), "0.01");
  try {
    mdp::sdk::decimal_or_throw("1,5", "price");
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), MDP_E_UPSTREAM_PROTOCOL);
    EXPECT_STREQ(e.what(), "field 'price' is not a decimal: '1,5'");
  }
}

// ------------------------------------------------------------------ sinks

TEST(PluginSdkSinks, SymbolBatchesCarryEveryRowAtTheRightStride) {
  constexpr std::size_t kBatch = mdp::sdk::SymbolSink::kBatchSize;
  FakeHost host;
  for (std::size_t rows : {std::size_t{0}, std::size_t{1}, kBatch - 1, kBatch, kBatch + 1, 2 * kBatch + 17}) {
    Instance instance(host, {{"rows", std::to_string(rows)}});
    SinkRecorder rec;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    ErrorBuffer err(128);
    ASSERT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), MDP_OK) << err.text();
    std::vector<std::size_t> expected_batches;
    for (std::size_t left = rows; left > 0; left -= std::min(left, kBatch)) {
      expected_batches.push_back(std::min(left, kBatch));
    }
    EXPECT_EQ(rec.batch_sizes, expected_batches) << rows << " rows";
    for (std::size_t stride : rec.strides) EXPECT_EQ(stride, sizeof(mdp_symbol));
    ASSERT_EQ(rec.keys.size(), rows);
    for (std::size_t i = 0; i < rows; ++i) EXPECT_EQ(rec.keys[i], static_cast<std::int64_t>(i));
  }
}

TEST(PluginSdkSinks, CandleBatchesKeepOrderAcrossEmitCallsAndFillThePage) {
  constexpr std::size_t kBatch = mdp::sdk::CandleSink::kBatchSize;
  FakeHost host;
  const std::size_t rows = 3 * kBatch + 5;
  Instance instance(host, {{"rows", std::to_string(rows)}});
  SinkRecorder rec;
  const mdp_candle_sink sink{sizeof(mdp_candle_sink), &rec, &SinkRecorder::candles};
  const mdp_candle_request req{sizeof(mdp_candle_request), "S0", "1m", 1'000'000'020'000, 1'000'900'000'000, 1000};
  mdp_candle_page page{sizeof(mdp_candle_page), -2, -2};
  ErrorBuffer err(128);
  ASSERT_EQ(T::fetch_candles(instance.plugin, &host.call, &req, &sink, &page, &err.err), MDP_OK) << err.text();
  std::size_t total = 0;
  for (std::size_t n : rec.batch_sizes) {
    EXPECT_GE(n, 1u);
    EXPECT_LE(n, kBatch);
    total += n;
  }
  EXPECT_EQ(total, rows);
  for (std::size_t stride : rec.strides) EXPECT_EQ(stride, sizeof(mdp_candle));
  ASSERT_EQ(rec.keys.size(), rows);
  for (std::size_t i = 0; i < rows; ++i) {
    EXPECT_EQ(rec.keys[i], req.start_ms + static_cast<std::int64_t>(i) * 60'000);
  }
  EXPECT_EQ(page.next_start_ms, req.end_ms - 1);
  EXPECT_EQ(page.available_from_ms, 42);
}

TEST(PluginSdkSinks, RejectionStopsEmissionAndReturnsTheSinksStatus) {
  constexpr std::size_t kBatch = mdp::sdk::SymbolSink::kBatchSize;
  FakeHost host;
  Instance instance(host, {{"rows", std::to_string(3 * kBatch)}});

  struct Variant {
    mdp_status sink_status;
    const char* reason;  // what the host writes into the call's error, or NULL
    mdp_status want_status;
    std::string want_message;
  };
  const std::vector<Variant> variants = {
      {MDP_E_SINK_REJECTED, "row 300: symbol is not UTF-8", MDP_E_SINK_REJECTED, "row 300: symbol is not UTF-8"},
      {MDP_E_SINK_REJECTED, nullptr, MDP_E_SINK_REJECTED, "the host's sink rejected the rows (status 10)"},
      {MDP_E_CANCELLED, nullptr, MDP_E_CANCELLED, "the host's sink rejected the rows (status 7)"},
      {MDP_E_TIMEOUT, "deadline passed", MDP_E_TIMEOUT, "deadline passed"},
      {77, nullptr, MDP_E_INTERNAL, "the host's sink rejected the rows (status 77)"},
  };
  for (const Variant& v : variants) {
    ErrorBuffer err(128);
    SinkRecorder rec;
    rec.reject_on_call = 2;
    rec.reject_status = v.sink_status;
    rec.reject_reason = v.reason;
    rec.err = &err.err;
    const mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &rec, &SinkRecorder::symbols};
    TestPlugin::after_emit_ = false;
    EXPECT_EQ(T::list_symbols(instance.plugin, &host.call, &sink, &err.err), v.want_status);
    EXPECT_EQ(err.text(), v.want_message);
    EXPECT_EQ(rec.batch_sizes.size(), 2u) << "emission must stop at the rejected batch";
    EXPECT_FALSE(TestPlugin::after_emit_) << "plugin code after the rejected emit must not run";
    EXPECT_TRUE(err.guard_intact());
  }
}

// ------------------------------------------------------------------ MDP_DEFINE_PLUGIN

}  // namespace

MDP_DEFINE_PLUGIN(TestPlugin, kDescriptor)

namespace {

TEST(PluginSdkDefinePlugin, EntryReturnsAStaticTableOfTrampolines) {
  const mdp_plugin_api* api = mdp_plugin_entry();
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api, mdp_plugin_entry()) << "one static table";
  EXPECT_EQ(api->magic, MDP_PLUGIN_MAGIC);
  EXPECT_EQ(api->struct_size, sizeof(mdp_plugin_api));
  EXPECT_EQ(api->abi_major, MDP_ABI_MAJOR);
  EXPECT_EQ(api->abi_minor, MDP_ABI_MINOR);
  EXPECT_EQ(api->descriptor, &kDescriptor);
  EXPECT_EQ(api->create, &T::create);
  EXPECT_EQ(api->destroy, &T::destroy);
  EXPECT_EQ(api->list_symbols, &T::list_symbols);
  EXPECT_EQ(api->fetch_candles, &T::fetch_candles);
  static_assert(noexcept(T::create(nullptr, nullptr, nullptr, nullptr, nullptr)), "trampolines are noexcept");
  static_assert(noexcept(T::destroy(nullptr)), "trampolines are noexcept");
  static_assert(noexcept(T::list_symbols(nullptr, nullptr, nullptr, nullptr)), "trampolines are noexcept");
  static_assert(noexcept(T::fetch_candles(nullptr, nullptr, nullptr, nullptr, nullptr, nullptr)),
                "trampolines are noexcept");
}

}  // namespace
