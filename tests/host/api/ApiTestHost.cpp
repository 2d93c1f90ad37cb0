#include "ApiTestHost.hpp"

#include <cstdlib>
#include <stdexcept>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include "ApiWiring.hpp"
#include "AuthModule.hpp"
#include "ClientAdmin.hpp"
#include "Authenticator.hpp"
#include "ExchangeRepository.hpp"
#include "HttpServer.hpp"
#include "UpstreamStack.hpp"
#include "Migrator.hpp"
#include "OperationalRoutes.hpp"
#include "PluginRegistry.hpp"
#include "ResponseCache.hpp"
#include "Router.hpp"
#include "StorageTestSupport.hpp"
#include "SymbolRepository.hpp"
#include "SymbolSyncJob.hpp"

namespace mdp::api::test {
namespace {

using namespace std::chrono_literals;

std::string plugin_build_dir() {
  const char* dir = std::getenv("MDP_PLUGIN_BUILD_DIR");
  if (dir == nullptr || *dir == '\0') throw std::runtime_error("MDP_PLUGIN_BUILD_DIR is not set (run through ctest)");
  return dir;
}

constexpr const char* kFixedMarketToken = "fixed-market-token";
constexpr const char* kFixedAdminToken = "fixed-admin-token";

// For the unreachable-database host only: mdp_auth's authenticator checks the client in the
// database and would answer 503 itself, before the route under test.
class FixedTokenAuthenticator : public http::Authenticator {
 public:
  http::AuthDecision authenticate(std::string_view token, std::string_view required_scope) override {
    http::AuthDecision decision;
    if (token == kFixedAdminToken) {
      decision.client_id = "test-admin";
      decision.outcome = http::AuthDecision::Outcome::Authenticated;
    } else if (token == kFixedMarketToken) {
      decision.client_id = "test-market";
      decision.outcome = required_scope == "market:read" ? http::AuthDecision::Outcome::Authenticated
                                                         : http::AuthDecision::Outcome::InsufficientScope;
    } else {
      decision.outcome = http::AuthDecision::Outcome::InvalidToken;
    }
    return decision;
  }
};

class AlwaysReady : public http::ReadinessProbe {
 public:
  std::vector<http::ReadinessCheck> checks() override { return {{"database", true, ""}}; }
};

// What Application::record_exchanges does: loaded plugins with their intervals, failed ones
// with the reason.
void record_exchanges(storage::Database& db, const plugins::PluginRegistry& registry) {
  storage::ExchangeRepository exchanges(db);
  for (const plugins::PluginStatus& status : registry.statuses()) {
    if (status.state == plugins::PluginState::Loaded && status.descriptor) {
      exchanges.record_loaded(*status.descriptor, 1'000);
    } else {
      storage::ExchangeRecord record;
      record.id = status.id;
      record.name = status.id;
      record.status = storage::ExchangeStatus::Failed;
      record.status_reason = status.reason;
      exchanges.upsert(record, 1'000);
    }
  }
}

}  // namespace

std::string binance_fixture_path(const std::string& name) {
  return (storage::test::source_dir() / "tests" / "fixtures" / "binance_futures" / name).string();
}

ApiTestHost::ApiTestHost(HostOptions options) : options_(std::move(options)) {
  if (!options_.exchange_info_fixture.empty()) {
    exchange_info_route_ = exchange_.get("/fapi/v1/exchangeInfo", fake::FakeResponse::file(binance_fixture_path(options_.exchange_info_fixture)));
  }

  std::vector<net::UpstreamConfig> upstreams;
  plugins::PluginsConfig plugins_config;
  plugins_config.plugin_dir = plugin_build_dir();
  plugins_config.check_file_permissions = false;  // build trees may be group-writable
  for (const std::string& id : options_.plugins) {
    net::UpstreamConfig upstream;
    upstream.exchange = id;
    upstream.allowed_base_urls = {exchange_.base_url()};
    upstream.connect_timeout = 2s;
    upstream.read_timeout = options_.upstream_read_timeout;
    upstream.rate.weight_per_window = 1'000'000;  // the budget is not what these tests are about
    upstreams.push_back(upstream);
    std::string base_url = exchange_.base_url();
    if (id == kBinance && options_.base_url_outside_allowlist) base_url = "http://127.0.0.1:9/elsewhere";
    plugins_config.enabled.push_back({id, {{"base_url", base_url}}});
  }
  upstream_ = std::make_unique<net::UpstreamStack>(upstreams, net::BreakerPolicy{}, net::RetryPolicy{});
  registry_ = std::make_unique<plugins::PluginRegistry>(plugins_config, upstream_->upstream());

  if (options_.unreachable_database) {
    // Port 9 (discard) on loopback: nothing listens, every connect is refused at once.
    unreachable_db_ = std::make_unique<storage::Database>(
        storage::parse_database_url("postgresql://mdp:mdp@127.0.0.1:9/mdp_test?connect_timeout=2"),
        storage::DatabaseOptions{});
  } else {
    test_db_ = std::make_unique<storage::test::TestDatabase>(options_.dialect);
    storage::Migrator(db(), storage::test::schema_root()).migrate();
    record_exchanges(db(), *registry_);
  }

  plugins::PluginRegistry* registry = registry_.get();
  sync::SymbolSyncOptions sync_options;
  if (options_.response_cache) {
    sync_options.on_committed = [cache = options_.response_cache](const std::string& exchange) {
      cache->invalidate(exchange);
    };
  }
  sync_ = std::make_shared<sync::SymbolSyncJob>(
      db(), [registry](const std::string& id) { return registry->find(id); }, sync_options);
  if (!options_.exchange_info_fixture.empty() && !options_.unreachable_database && registry_->find(kBinance) &&
      !options_.base_url_outside_allowlist) {
    const domain::SyncRunSummary summary = sync(kBinance);
    if (summary.outcome != "succeeded") throw std::runtime_error("initial sync failed: " + summary.error.value_or(""));
  }

  // What Application::start does: operational routes, the token route, the API.
  router_ = std::make_shared<http::Router>();
  http::add_operational_routes(*router_, std::make_shared<AlwaysReady>());
  std::shared_ptr<http::Authenticator> authenticator;
  if (options_.unreachable_database) {
    authenticator = std::make_shared<FixedTokenAuthenticator>();
  } else {
    auth::AuthSettings settings;
    settings.jwt_secret = "api-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
    settings.argon2 = auth::Argon2Params{1024, 1, 1};  // real argon2id, cheap: auth is not under test
    auth_ = std::make_unique<auth::AuthModule>(settings, db());
    auth_->add_routes(*router_);
    authenticator = auth_->authenticator();
  }
  app::add_api_routes(*router_, db(), *registry_, sync_, options_.config, options_.response_cache);
  http::HttpServerConfig server_config;
  server_config.port = 0;
  server_config.threads = 8;
  server_config.queue = 64;
  server_ = std::make_unique<http::HttpServer>(server_config, router_, authenticator);
  server_->start();
  if (auth_) {
    create_clients_and_tokens();
  } else {
    market_token_ = kFixedMarketToken;
    admin_token_ = kFixedAdminToken;
  }
}

void ApiTestHost::create_clients_and_tokens() {
  auth::ClientAdmin clients(db(), auth_->hasher());
  const auth::CreatedClient market = clients.create("market", {"market:read"});
  const auth::CreatedClient admin = clients.create("admin", {"market:read", "admin"});
  market_credentials_ = {market.id, market.secret};
  admin_credentials_ = {admin.id, admin.secret};
  market_token_ = token_for(market.id, market.secret);
  admin_token_ = token_for(admin.id, admin.secret);
}

std::string ApiTestHost::basic_authorization(As as) const {
  const auto& credentials = as == As::Admin ? admin_credentials_ : market_credentials_;
  Poco::Net::HTTPRequest request;
  Poco::Net::HTTPBasicCredentials(credentials.first, credentials.second).authenticate(request);
  return request.get("Authorization");
}

// OAuth 2.0 client credentials over HTTP, as a client does it (RFC 6749 §4.4, HTTP Basic).
std::string ApiTestHost::token_for(const std::string& client_id, const std::string& secret) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port());
  Poco::Net::HTTPRequest request("POST", "/v1/auth/token", Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::HTTPBasicCredentials(client_id, secret).authenticate(request);
  const std::string body = "grant_type=client_credentials";
  request.setContentType("application/x-www-form-urlencoded");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string answer;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
  if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
    throw std::runtime_error("token endpoint answered " + std::to_string(response.getStatus()) + ": " + answer);
  }
  Poco::JSON::Parser parser;
  return parser.parse(answer).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("access_token");
}

const std::string* ApiTestHost::token(As as) const {
  static const std::string kInvalid = "not.a.token";
  switch (as) {
    case As::Anonymous: return nullptr;
    case As::Invalid: return &kInvalid;
    case As::Market: return &market_token_;
    case As::Admin: return &admin_token_;
  }
  return nullptr;
}

ApiTestHost::~ApiTestHost() {
  // Stop serving first; then the plugins (before the transport their adapters use).
  if (server_) server_->stop();
  server_.reset();
  router_.reset();
  auth_.reset();
  sync_.reset();
  registry_.reset();
  upstream_.reset();
}

storage::Database& ApiTestHost::db() { return unreachable_db_ ? *unreachable_db_ : test_db_->db(); }

std::uint16_t ApiTestHost::port() const { return server_->port(); }

domain::SyncRunSummary ApiTestHost::sync(const std::string& exchange) {
  const auto context = domain::CallContext::with_timeout(30s);
  return sync_->sync_now(exchange, context);
}

void ApiTestHost::store_symbol(const domain::Symbol& symbol) {
  storage::SymbolRepository symbols(db());
  const storage::SymbolDiff diff = storage::diff_symbols(symbols.load_exchange(symbol.exchange), {symbol});
  symbols.apply_sync(symbol.exchange, diff, std::nullopt, 2'000);
}

std::vector<fake::RecordedRequest> ApiTestHost::klines_requests() const {
  std::vector<fake::RecordedRequest> out;
  for (auto& request : exchange_.requests()) {
    if (request.path == "/fapi/v1/klines") out.push_back(std::move(request));
  }
  return out;
}

HttpResult ApiTestHost::get(const std::string& target, As as, const std::map<std::string, std::string>& headers) {
  return request("GET", target, as, headers, {});
}

HttpResult ApiTestHost::post(const std::string& target, const std::string& body, As as) {
  return request("POST", target, as, {}, body);
}

HttpResult ApiTestHost::request(const std::string& method, const std::string& target, As as,
                                const std::map<std::string, std::string>& headers, const std::string& body) {
  std::map<std::string, std::string> all = headers;
  if (const std::string* bearer = token(as)) all["Authorization"] = "Bearer " + *bearer;
  return send_request(port(), method, target, all, body);
}

HttpResult send_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::map<std::string, std::string>& headers, const std::string& body) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  session.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!body.empty() || method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResult result;
  result.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers[lower] = value;
  }
  Poco::StreamCopier::copyToString(in, result.body);
  return result;
}

}  // namespace mdp::api::test
