// Issue 8, "Bad requests" (OWASP API4, API8; RELIABILITY.md A2, A4, D8, H8) over real HTTP
// against the in-process host on PostgreSQL: SQL meta-characters, oversized and invalid
// UTF-8 values in every text parameter of every data route. Each answer is a problem with
// the expected status and type, nothing reaches the exchange, every table is byte-for-byte
// what it was (row counts and an md5 over each table's rows), and the host still serves.
// SQL is bound everywhere: no test greps the code, the payloads are simply sent.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <Poco/Data/Session.h>

#include "ApiTestSupport.hpp"
#include "GeneratedKlines.hpp"

namespace mdp::api::test {
namespace {

const std::vector<std::string> kTables = {"exchanges",   "intervals",      "exchange_intervals", "symbols",
                                          "sync_runs",   "symbol_changes", "api_clients"};
const std::string kRange = "&interval=1h&start=2024-01-01&end=2024-01-02";

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 15];
    }
  }
  return out;
}

// table -> "<row count>:<md5 of its rows in a fixed order>" (PostgreSQL).
std::map<std::string, std::string> snapshot(storage::Database& db) {
  std::map<std::string, std::string> out;
  storage::Lease lease = db.acquire();
  for (const std::string& table : kTables) {
    std::string fingerprint;
    lease.session() << "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM " +
                           table + " t",
        Poco::Data::Keywords::into(fingerprint), Poco::Data::Keywords::now;
    out[table] = fingerprint;
  }
  return out;
}

class BadRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      host_ = std::make_unique<ApiTestHost>();  // PostgreSQL, binance_futures synced from a fixture
    } catch (const std::exception& e) {
      FAIL() << e.what();
    }
    klines_ = serve_generated_klines(host_->exchange());
  }

  // The host still answers a normal request with data.
  void expect_still_serving() {
    const HttpResult candles = host_->get("/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT" + kRange);
    EXPECT_EQ(candles.status, 200) << candles.body;
    EXPECT_EQ(host_->get("/v1/symbols?exchange=binance_futures&limit=1").status, 200);
  }

  std::unique_ptr<ApiTestHost> host_;
  fake::RouteId klines_ = -1;
};

const std::vector<std::string>& injection_payloads() {
  static const std::vector<std::string> payloads = {
      "'; DROP TABLE symbols;--",
      "' OR 1=1",
      "' OR '1'='1",
      "1); DELETE FROM api_clients;--",
      "\"; UPDATE symbols SET status='delisted';--",
      "$1",
      "\\",
      "BTC/USDT:USDT' --",
      "%' OR symbol LIKE '%",
      "';SELECT pg_sleep(5);--",
  };
  return payloads;
}

TEST_F(BadRequests, SqlMetaCharactersInEveryTextParameterAreJustUnknownValuesAndTheTablesAreIntact) {
  const auto before = snapshot(host_->db());
  ASSERT_NE(before.at("symbols").rfind("0:", 0), 0u) << "the catalogue was synced: " << before.at("symbols");

  struct Target {
    std::string prefix;  // the payload is appended, encoded
    std::string suffix;
    int status;
    std::string type;
  };
  // A well-formed text that names nothing is "unknown" (404); where the parameter is a
  // closed set (interval, type, status, format) it is a 400; free-text search finds nothing.
  const std::vector<Target> targets = {
      {"/v1/candles?exchange=binance_futures&symbol=", kRange, 404, "not-found"},
      {"/v1/candles?exchange=binance_futures&native=", kRange, 404, "not-found"},
      {"/v1/candles?symbol=BTC%2FUSDT%3AUSDT&exchange=", kRange, 404, "not-found"},
      {"/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT&interval=", "&start=2024-01-01&end=2024-01-02",
       400, "bad-request"},
      {"/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT&interval=1h&end=2024-01-02&start=", "", 400,
       "bad-request"},
      {"/v1/symbols?exchange=", "", 404, "not-found"},
      {"/v1/symbols?type=", "", 400, "bad-request"},
      {"/v1/symbols?status=", "", 400, "bad-request"},
      {"/v1/symbols?cursor=", "", 400, "bad-request"},
      {"/v1/symbols?exchange=binance_futures&format=", "", 400, "bad-request"},
      {"/v1/symbols/resolve?exchange=binance_futures&symbol=", "", 404, "not-found"},
      {"/v1/symbols/resolve?exchange=binance_futures&native=", "", 404, "not-found"},
      {"/v1/symbols/resolve?symbol=BTC%2FUSDT%3AUSDT&exchange=", "", 404, "not-found"},
      {"/v1/symbols/changes?exchange=binance_futures&since=", "", 400, "bad-request"},
  };
  for (const std::string& payload : injection_payloads()) {
    for (const Target& target : targets) {
      const std::string url = target.prefix + encode(payload) + target.suffix;
      SCOPED_TRACE(url);
      expect_problem(host_->get(url), target.status, target.type);
    }
    // Free-text filters bind the value (and escape LIKE wildcards): nothing matches.
    for (const char* filter : {"q", "base", "quote"}) {
      const HttpResult found = host_->get("/v1/symbols?exchange=binance_futures&" + std::string(filter) + "=" + encode(payload));
      ASSERT_EQ(found.status, 200) << filter << "=" << payload << ": " << found.body;
      EXPECT_EQ(json_object(found)->getArray("symbols")->size(), 0u) << filter << "=" << payload;
    }
  }
  EXPECT_EQ(host_->klines_requests().size(), 0u) << "no payload reached an upstream URL";
  EXPECT_EQ(snapshot(host_->db()), before) << "a table changed";
  expect_still_serving();
}

TEST_F(BadRequests, InvalidUtf8ControlCharactersAndOversizedValuesAreRefusedBeforeAnyLookup) {
  const auto before = snapshot(host_->db());
  struct Case {
    std::string value;  // already encoded
    int status;
    std::string type;
  };
  const std::vector<Case> cases = {
      {"%C0%AF", 400, "bad-request"},                          // overlong '/'
      {"BTC%FF", 400, "bad-request"},                          // not UTF-8 at all
      {"%ED%A0%80", 400, "bad-request"},                       // a UTF-16 surrogate
      {"BTC%00USDT", 400, "bad-request"},                      // NUL (Poco Data would truncate it)
      {"BTC%0AUSDT", 400, "bad-request"},                      // a line break (log injection)
      {"%ZZ", 400, "bad-request"},                             // a bad escape
      {std::string(1500, 'A'), 400, "bad-request"},            // above the 1 KiB value cap
      {std::string(10 * 1024, 'A'), 414, "uri-too-long"},      // a 10 KB symbol: above the URI cap
  };
  for (const Case& c : cases) {
    for (const std::string& prefix : {std::string("/v1/candles?exchange=binance_futures") + kRange + "&symbol=",
                                      std::string("/v1/symbols/resolve?exchange=binance_futures&native="),
                                      std::string("/v1/symbols?exchange=binance_futures&q=")}) {
      SCOPED_TRACE(prefix + c.value.substr(0, 40));
      const HttpResult response = host_->get(prefix + c.value);
      expect_problem(response, c.status, c.type);
      EXPECT_EQ(response.body.find("xception"), std::string::npos) << response.body;
    }
  }
  EXPECT_EQ(host_->klines_requests().size(), 0u);
  EXPECT_EQ(snapshot(host_->db()), before);
  expect_still_serving();
}

TEST_F(BadRequests, EveryKindOfBadCandleParameterIsA400AndTheHostKeepsServing) {
  // The rest of the list, one request each, with the host checked after each one.
  const std::string btc = "/v1/candles?exchange=binance_futures&symbol=BTC%2FUSDT%3AUSDT";
  const std::vector<std::string> targets = {
      btc + kRange + "&verbose=1",                                      // unknown parameter
      btc + kRange + "&Symbol=x",                                       // names are case-sensitive
      btc + "&interval=1h&start=yesterday&end=2024-01-02",              // non-numeric time
      btc + "&interval=1h&start=1e12&end=2024-01-02",                   // exponent
      btc + "&interval=1h&start=-1&end=2024-01-02",                     // negative
      btc + "&interval=1h&start=99999999999999999999&end=2024-01-02",   // beyond 64 bits
      btc + "&interval=1h&start=2024-13-01&end=2024-12-02",             // no such month
      btc + "&interval=1h&start=2024-01-02&end=2024-01-01",             // start > end
      btc + "&interval=1h&start=2024-01-01&end=2024-01-01",             // start == end
      btc + kRange + "&limit=10001",                                    // above the cap
      btc + kRange + "&limit=-5",
      btc + "&interval=7m&start=2024-01-01&end=2024-01-02",             // unsupported interval
      btc + "&interval=1m&start=2020-01-01&end=2024-01-01",             // range above the row cap
  };
  for (const std::string& target : targets) {
    SCOPED_TRACE(target);
    expect_problem(host_->get(target), 400, "bad-request");
    EXPECT_EQ(host_->get("/health").status, 200);
  }
  EXPECT_EQ(host_->klines_requests().size(), 0u);
  expect_still_serving();
}

}  // namespace
}  // namespace mdp::api::test
