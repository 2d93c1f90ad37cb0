// HTTPS through HttpTransport against a TLS FakeExchangeServer on 127.0.0.1: the strict
// context (VERIFY_STRICT, own CA list, TLS >= 1.2) accepts a certificate from a trusted CA
// for the right name and refuses untrusted or misnamed ones (RELIABILITY.md U12, pitfall 25).
// Certificates are made per test with the openssl CLI (installed with ca-certificates).
#include <gtest/gtest.h>

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "FakeExchangeServer.hpp"
#include "HttpTransport.hpp"

using mdp::domain::CallContext;
using mdp::domain::UpstreamFailure;
using mdp::domain::UpstreamRequest;
using mdp::domain::UpstreamResult;
using mdp::fake::FakeExchangeServer;
using mdp::fake::FakeResponse;
using mdp::net::HttpTransport;
using mdp::net::TransportOptions;
using mdp::net::UpstreamConfig;
using std::chrono::milliseconds;

namespace {

class Certificates {
 public:
  Certificates() {
    dir_ = std::filesystem::temp_directory_path() /
           ("mdp-tls-" + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(dir_);
    const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509" + ec + " -keyout ca.key -out ca.pem -days 2 -subj /CN=mdp-test-ca"
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");
    issue("localhost", "localhost");
    issue("wrong", "wrong.invalid");
    run("openssl req -x509" + ec + " -keyout self.key -out self.pem -days 2 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost");
  }
  ~Certificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  bool ok() const { return ok_; }

 private:
  void issue(const std::string& name, const std::string& dns) {
    std::ofstream(dir_ / (name + ".ext")) << "subjectAltName=DNS:" << dns
                                          << "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " + name + ".key -out " + name +
        ".csr -subj /CN=" + dns);
    run("openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out " + name +
        ".pem -extfile " + name + ".ext");
  }
  void run(const std::string& command) {
    const std::string full = "cd '" + dir_.string() + "' && " + command + " >/dev/null 2>&1";
    if (std::system(full.c_str()) != 0) {
      ok_ = false;
      ADD_FAILURE() << "openssl failed: " << command;
    }
  }

  std::filesystem::path dir_;
  bool ok_ = true;
};

std::unique_ptr<FakeExchangeServer> tls_server(const Certificates& certs, const std::string& name) {
  FakeExchangeServer::Options options;
  options.tls_certificate_file = certs.path(name + ".pem");
  options.tls_private_key_file = certs.path(name + ".key");
  auto server = std::make_unique<FakeExchangeServer>(options);
  server->get("/api/ping", FakeResponse::json(R"({"pong":true})"));
  return server;
}

UpstreamResult fetch(const FakeExchangeServer& server, const std::string& ca_location) {
  const std::string base = "https://localhost:" + std::to_string(server.port()) + "/api";
  UpstreamConfig config;
  config.exchange = "tls";
  config.allowed_base_urls = {base};
  config.connect_timeout = milliseconds(2000);
  config.read_timeout = milliseconds(4000);
  TransportOptions options;
  options.ca_location = ca_location;
  HttpTransport transport({config}, options);
  UpstreamRequest request;
  request.exchange = "tls";
  request.method = "GET";
  request.url = base + "/ping";
  CallContext context = CallContext::with_timeout(milliseconds(5000));
  UpstreamResult first = transport.send(request, context);
  if (first.failure == UpstreamFailure::None) {
    // Keep-alive over TLS: the second request reuses the connection.
    UpstreamResult second = transport.send(request, context);
    EXPECT_EQ(second.failure, UpstreamFailure::None) << second.message;
    EXPECT_EQ(transport.stats("tls").connections_opened, 1u);
  }
  return first;
}

}  // namespace

TEST(HttpTransportTls, TrustedCertificateForTheRightName) {
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  auto server = tls_server(certs, "localhost");
  ASSERT_EQ(server->base_url().rfind("https://", 0), 0u);
  const auto result = fetch(*server, certs.path("ca.pem"));
  ASSERT_EQ(result.failure, UpstreamFailure::None) << result.message;
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.response.body, R"({"pong":true})");
  EXPECT_EQ(server->request_count(), 2u);
  EXPECT_EQ(server->connections_accepted(), 1u);
}

TEST(HttpTransportTls, SelfSignedCertificateIsRefused) {
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  auto server = tls_server(certs, "self");
  const auto result = fetch(*server, certs.path("ca.pem"));
  EXPECT_EQ(result.failure, UpstreamFailure::ConnectFailed) << result.message;
  EXPECT_NE(result.message.find("TLS"), std::string::npos) << result.message;
  EXPECT_EQ(server->request_count(), 0u);
}

TEST(HttpTransportTls, WrongHostNameIsRefusedEvenOnLoopback) {
  // Poco skips the host-name check for localhost unless the context is VERIFY_STRICT.
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  auto server = tls_server(certs, "wrong");
  const auto result = fetch(*server, certs.path("ca.pem"));
  EXPECT_EQ(result.failure, UpstreamFailure::ConnectFailed) << result.message;
  EXPECT_NE(result.message.find("TLS"), std::string::npos) << result.message;
  RecordProperty("message", result.message);
  EXPECT_EQ(server->request_count(), 0u);
}

TEST(HttpTransportTls, TestCaIsNotTrustedByTheSystemStore) {
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  auto server = tls_server(certs, "localhost");
  const auto result = fetch(*server, "/etc/ssl/certs");
  EXPECT_EQ(result.failure, UpstreamFailure::ConnectFailed) << result.message;
  EXPECT_NE(result.message.find("TLS"), std::string::npos) << result.message;
  RecordProperty("message", result.message);
  EXPECT_EQ(server->request_count(), 0u);
}

TEST(HttpTransportTls, SilentServerFailsTheHandshakeWithinTheDeadline) {
  // Accepts TCP and never answers the ClientHello. Poco 1.11 would return from connect as
  // if the handshake had worked; the transport must report a timeout within its deadline.
  Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
  std::atomic<bool> done{false};
  std::thread acceptor([&] {
    try {
      Poco::Net::StreamSocket held = listener.acceptConnection();
      while (!done) std::this_thread::sleep_for(milliseconds(10));
    } catch (...) {
    }
  });
  const std::string base = "https://localhost:" + std::to_string(listener.address().port()) + "/api";
  UpstreamConfig config;
  config.exchange = "tls";
  config.allowed_base_urls = {base};
  config.connect_timeout = milliseconds(300);
  config.read_timeout = milliseconds(1000);
  HttpTransport transport({config});
  UpstreamRequest request;
  request.exchange = "tls";
  request.method = "GET";
  request.url = base + "/ping";
  CallContext context = CallContext::with_timeout(milliseconds(5000));
  const auto start = std::chrono::steady_clock::now();
  const UpstreamResult result = transport.send(request, context);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  done = true;
  acceptor.join();
  EXPECT_EQ(result.failure, UpstreamFailure::Timeout) << result.message;
  EXPECT_LT(elapsed, milliseconds(1500));
}

TEST(HttpTransportTls, DeadlinesAndTruncationOverTls) {
  Certificates certs;
  ASSERT_TRUE(certs.ok());
  auto server = tls_server(certs, "localhost");
  server->get("/api/trickle", FakeResponse::json(std::string(100, ' ')).with_trickle(1, milliseconds(100)));
  server->get("/api/cut", FakeResponse::json(std::string(100, 'x')).with_truncation(40));
  server->get("/api/big", FakeResponse::json("").with_oversize_body(5000).with_chunked());
  const std::string base = "https://localhost:" + std::to_string(server->port()) + "/api";
  UpstreamConfig config;
  config.exchange = "tls";
  config.allowed_base_urls = {base};
  config.read_timeout = milliseconds(800);
  config.max_response_bytes = 1000;
  TransportOptions options;
  options.ca_location = certs.path("ca.pem");
  HttpTransport transport({config}, options);
  auto send = [&](const std::string& path) {
    UpstreamRequest request;
    request.exchange = "tls";
    request.method = "GET";
    request.url = base + path;
    CallContext context = CallContext::with_timeout(milliseconds(5000));
    return transport.send(request, context);
  };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(send("/trickle").failure, UpstreamFailure::Timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(1600));
  EXPECT_EQ(send("/cut").failure, UpstreamFailure::ReadFailed);
  EXPECT_EQ(send("/big").failure, UpstreamFailure::TooLarge);
  const auto ok = send("/ping");
  EXPECT_EQ(ok.failure, UpstreamFailure::None) << ok.message;
}
