// The upstream configuration and request the transport tests send to a FakeExchangeServer
// on 127.0.0.1 (exchange "fake", base URL <server>/api, 1 s connect / 5 s read).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "FakeExchangeServer.hpp"
#include "UpstreamConfig.hpp"
#include "UpstreamHttp.hpp"

namespace mdp::net::test {

inline constexpr const char* kFakeExchange = "fake";

inline UpstreamConfig config_for(const fake::FakeExchangeServer& server) {
  UpstreamConfig c;
  c.exchange = kFakeExchange;
  c.allowed_base_urls = {server.url("/api")};
  c.connect_timeout = std::chrono::milliseconds(1000);
  c.read_timeout = std::chrono::milliseconds(5000);
  return c;
}

inline domain::UpstreamRequest get(const fake::FakeExchangeServer& server, const std::string& path_and_query,
                                   std::int32_t weight = 1) {
  domain::UpstreamRequest r;
  r.exchange = kFakeExchange;
  r.method = "GET";
  r.url = server.url(path_and_query);
  r.weight = weight;
  return r;
}

}  // namespace mdp::net::test
