// An in-process host for the API tests, wired the way mdp-host wires it (app::add_api_routes
// over the real services) with nothing faked but the exchange and the token check:
//   PostgreSQL (fresh schema) or SQLite, migrated; the real plugin .so files from
//   $MDP_PLUGIN_BUILD_DIR loaded by PluginRegistry; the real HttpTransport to a
//   FakeExchangeServer on 127.0.0.1; the syncer's SymbolSyncJob for POST /v1/admin/sync and
//   to fill the catalogue; HttpServer on an ephemeral 127.0.0.1 port.
// Tokens are real: mdp_auth's AuthModule (token route + bearer Authenticator) is wired as
// mdp-host wires it, two API clients are created ("market": market:read; "admin":
// market:read admin) and their tokens are obtained over HTTP from POST /v1/auth/token.
// Only the unreachable-database host uses fixed tokens at the Authenticator seam (the
// real one would answer 503 itself, before the route whose error mapping is under test).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "AppConfig.hpp"
#include "Database.hpp"
#include "FakeExchangeServer.hpp"
#include "MarketModel.hpp"
#include "MetadataSync.hpp"

namespace mdp::auth {
class AuthModule;
}
namespace mdp::http {
class HttpServer;
class Router;
}
namespace mdp::net {
class UpstreamStack;
}
namespace mdp::plugins {
class PluginRegistry;
}
namespace mdp::storage::test {
class TestDatabase;
}

namespace mdp::api {
class ResponseCache;
}

namespace mdp::api::test {

// Who sends a request: no Authorization header, a garbage token, or a client's token.
enum class As { Anonymous, Invalid, Market, Admin };

inline constexpr const char* kBinance = "binance_futures";

struct HostOptions {
  storage::Dialect dialect = storage::Dialect::PostgreSQL;
  // Plugin ids to enable; an id without a .so (e.g. "ghost") shows up as a failed plugin.
  std::vector<std::string> plugins = {kBinance};
  // Serve tests/fixtures/binance_futures/<this> as exchangeInfo and sync binance_futures
  // once before serving ("" = neither).
  std::string exchange_info_fixture = "exchangeInfo_all_kinds.json";
  // Point binance_futures' base_url somewhere the transport's allowlist does not allow.
  bool base_url_outside_allowlist = false;
  // A database nobody listens on: every query fails with DatabaseUnavailable.
  bool unreachable_database = false;
  std::chrono::milliseconds upstream_read_timeout{2'000};
  app::AppConfig config;  // candles.* limits and cache.* TTLs (and nothing else) are read from here
  // Handed to the API routes and invalidated by the syncer's commits, as mdp-host does
  // (null = no response cache).
  std::shared_ptr<ResponseCache> response_cache;
};

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  const std::string* header(const std::string& lower_name) const {
    const auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

class ApiTestHost {
 public:
  explicit ApiTestHost(HostOptions options = {});
  ~ApiTestHost();

  // Requests over real HTTP, with the bearer token of `as`.
  HttpResult get(const std::string& target, As as = As::Market, const std::map<std::string, std::string>& headers = {});
  HttpResult post(const std::string& target, const std::string& body = {}, As as = As::Admin);
  HttpResult request(const std::string& method, const std::string& target, As as,
                     const std::map<std::string, std::string>& headers, const std::string& body);

  // "Basic …" for the client behind `as` (Market or Admin): for token requests.
  std::string basic_authorization(As as) const;

  fake::FakeExchangeServer& exchange() { return exchange_; }
  // The fake's GET /fapi/v1/exchangeInfo route (-1 without a fixture): set_default() on it
  // changes what the next sync sees.
  fake::RouteId exchange_info_route() const { return exchange_info_route_; }
  storage::Database& db();
  plugins::PluginRegistry& registry() { return *registry_; }
  const http::Router& router() const { return *router_; }
  std::uint16_t port() const;
  // Runs one sync of `exchange` through the syncer (what POST /v1/admin/sync does).
  domain::SyncRunSummary sync(const std::string& exchange = kBinance);

  // Stores one symbol directly (for hosts whose plugin cannot sync).
  void store_symbol(const domain::Symbol& symbol);

  // Requests to /fapi/v1/klines the fake exchange has seen.
  std::vector<fake::RecordedRequest> klines_requests() const;

 private:
  HostOptions options_;
  fake::FakeExchangeServer exchange_;
  fake::RouteId exchange_info_route_ = -1;
  std::unique_ptr<net::UpstreamStack> upstream_;  // as mdp-host: transport, breakers, retries
  std::unique_ptr<plugins::PluginRegistry> registry_;
  std::unique_ptr<storage::test::TestDatabase> test_db_;
  std::unique_ptr<storage::Database> unreachable_db_;
  std::shared_ptr<domain::MetadataSync> sync_;
  std::unique_ptr<auth::AuthModule> auth_;
  std::shared_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> server_;
  std::string market_token_;
  std::string admin_token_;
  std::pair<std::string, std::string> market_credentials_;  // client id, secret
  std::pair<std::string, std::string> admin_credentials_;

  void create_clients_and_tokens();
  std::string token_for(const std::string& client_id, const std::string& secret);
  const std::string* token(As as) const;
};

// One request to 127.0.0.1:port over a fresh connection.
HttpResult send_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body);

// tests/fixtures/binance_futures/<name> as a path.
std::string binance_fixture_path(const std::string& name);

}  // namespace mdp::api::test
