#include "TokenEndpoint.hpp"

#include <algorithm>
#include <stdexcept>

#include <Poco/Logger.h>

#include "AccessLogLine.hpp"
#include "ClaimsValidator.hpp"
#include "DatabaseError.hpp"
#include "JsonWriter.hpp"
#include "Problem.hpp"
#include "Request.hpp"
#include "Response.hpp"
#include "TokenRequestParser.hpp"

namespace mdp::auth {
namespace {

constexpr std::size_t kMaxThrottledKeys = 100'000;

void no_store(http::Response& response) {
  response.set_header("Cache-Control", "no-store");
  response.set_header("Pragma", "no-cache");
}

void answer_error(http::Response& response, const OAuthError& error, bool challenge_basic) {
  const bool unauthorized = error.code == "invalid_client" && challenge_basic;
  http::JsonWriter json(response.start_json(unauthorized ? 401 : 400));
  json.begin_object().key("error").string(error.code).key("error_description").string(error.description).end_object();
  no_store(response);
  if (unauthorized) response.set_header("WWW-Authenticate", "Basic realm=\"mdp\", charset=\"UTF-8\"");
}

http::Problem throttled(std::int64_t retry_after_s) {
  return http::Problem(http::ProblemType::RateLimited,
                       "too many token requests from this address or for this client; retry after " +
                           std::to_string(retry_after_s) + " s")
      .with_retry_after(static_cast<int>(retry_after_s))
      .with_header("Pragma", "no-cache");
}

}  // namespace

TokenEndpoint::TokenEndpoint(TokenEndpointSettings settings, std::shared_ptr<const TokenIssuer> issuer,
                             std::shared_ptr<const SecretHasher> hasher,
                             std::shared_ptr<storage::ApiClientRepository> clients, AuthClock clock,
                             SourceKey source_key)
    : settings_(settings),
      issuer_(std::move(issuer)),
      hasher_(std::move(hasher)),
      clients_(std::move(clients)),
      clock_(std::move(clock)),
      source_key_(std::move(source_key)),
      by_address_(settings.per_address, kMaxThrottledKeys),
      by_client_(settings.per_client, kMaxThrottledKeys),
      hash_slots_(settings.hash_concurrency) {
  if (!issuer_ || !hasher_ || !clients_ || !clock_) throw std::invalid_argument("TokenEndpoint: missing dependency");
  if (!source_key_) source_key_ = [](const http::Request& request) { return request.remote_address(); };
}

bool TokenEndpoint::admit(const std::string& source, const std::string& client_id, http::Response& response) {
  const auto now = http::KeyedTokenBucket::Clock::now();
  const http::BucketDecision address = by_address_.take(source, now);
  if (!address.allowed) {
    response.set_problem(throttled(address.retry_after_s));
    return false;
  }
  const http::BucketDecision client = by_client_.take(client_id, now);
  if (!client.allowed) {
    by_address_.refund(source, now);
    response.set_problem(throttled(client.retry_after_s));
    return false;
  }
  return true;
}

void TokenEndpoint::refund(const std::string& source, const std::string& client_id) {
  const auto now = http::KeyedTokenBucket::Clock::now();
  by_address_.refund(source, now);
  by_client_.refund(client_id, now);
}

void TokenEndpoint::handle(const http::Request& request, http::Response& response) {
  TokenRequestParse parse = parse_token_request(request);
  if (parse.error) {
    answer_error(response, *parse.error, parse.challenge_basic);
    return;
  }
  const TokenRequest& token_request = *parse.request;
  const OAuthError bad_client{"invalid_client", "unknown client or wrong secret"};

  const std::string source = "addr:" + source_key_(request);
  const std::string client_key = "client:" + token_request.client_id;
  if (!admit(source, client_key, response)) return;

  std::optional<storage::ApiClient> client;
  bool authenticated = false;
  {
    ConcurrencyLimit::Place slot = hash_slots_.acquire_for(settings_.hash_wait);
    if (!slot.acquired()) {
      refund(source, client_key);
      response.set_problem(
          http::Problem(http::ProblemType::Unavailable, "token service busy; retry shortly").with_retry_after(1));
      return;
    }
    try {
      if (is_valid_client_id(token_request.client_id)) client = clients_->find_by_id(token_request.client_id);
    } catch (const storage::DatabaseUnavailable&) {
      refund(source, client_key);
      response.set_problem(
          http::Problem(http::ProblemType::DbUnavailable, "the client store is unreachable; retry later").with_retry_after(5));
      return;
    }
    if (client && client->active()) {
      authenticated = hasher_->verify(token_request.client_secret, client->secret_hash);
    } else {
      hasher_->burn(token_request.client_secret);  // same cost as a wrong secret
    }
  }
  if (!authenticated) {
    Poco::Logger::get("auth").information("token request refused: invalid_client, client_id=" +
                                          http::log_safe(token_request.client_id, 64));
    answer_error(response, bad_client, parse.challenge_basic);
    return;
  }
  refund(source, client_key);

  std::vector<std::string> granted;
  if (!parse_scope_list(client->scopes, granted)) granted.clear();
  std::vector<std::string> scopes = token_request.scopes.empty() ? granted : token_request.scopes;
  const bool allowed = !scopes.empty() && std::all_of(scopes.begin(), scopes.end(), [&granted](const std::string& s) {
    return std::find(granted.begin(), granted.end(), s) != granted.end();
  });
  if (!allowed) {
    answer_error(response, OAuthError{"invalid_scope", "the requested scope is not granted to this client"}, false);
    return;
  }

  const IssuedToken token = issuer_->issue(client->id, scopes, clock_() / 1000);
  http::JsonWriter json(response.start_json(200));
  json.begin_object()
      .key("access_token")
      .string(token.access_token)
      .key("token_type")
      .string("Bearer")
      .key("expires_in")
      .integer(token.expires_in)
      .key("scope")
      .string(token.scope)
      .end_object();
  no_store(response);
}

}  // namespace mdp::auth
