#include <gtest/gtest.h>

#include "UrlAllowlist.hpp"

using mdp::net::BaseUrl;
using mdp::net::check_url;
using mdp::net::parse_base_url;

namespace {

std::vector<BaseUrl> bases(std::initializer_list<const char*> texts) {
  std::vector<BaseUrl> out;
  for (const char* text : texts) {
    std::string reason;
    auto base = parse_base_url(text, &reason);
    EXPECT_TRUE(base.has_value()) << text << ": " << reason;
    if (base) out.push_back(*base);
  }
  return out;
}

}  // namespace

TEST(UrlAllowlist, ParsesBaseUrls) {
  auto base = parse_base_url("https://FAPI.binance.com/fapi/");
  ASSERT_TRUE(base);
  EXPECT_EQ(base->scheme, "https");
  EXPECT_EQ(base->host, "fapi.binance.com");
  EXPECT_EQ(base->port, 443);
  EXPECT_EQ(base->path_prefix, "/fapi");

  auto local = parse_base_url("http://127.0.0.1:8080");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->port, 8080);
  EXPECT_EQ(local->path_prefix, "");
}

TEST(UrlAllowlist, RejectsBadBaseUrls) {
  for (const char* bad : {"", "fapi.binance.com", "/fapi", "ftp://host/", "https://user@host/", "https://host/?q=1",
                          "https://host/#x", "https://host/a/../b", "https://host:99999/", "https:///x",
                          "https://host/a b"}) {
    std::string reason;
    EXPECT_FALSE(parse_base_url(bad, &reason).has_value()) << bad;
    EXPECT_FALSE(reason.empty()) << bad;
  }
}

TEST(UrlAllowlist, AcceptsUrlsInsideABase) {
  const auto allow = bases({"https://fapi.binance.com/fapi/", "https://api.hyperliquid.xyz/info"});
  auto url = check_url(allow, "https://fapi.binance.com/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=1500");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "fapi.binance.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=1500");

  EXPECT_TRUE(check_url(allow, "https://FAPI.Binance.com/fapi/v1/exchangeInfo"));
  EXPECT_TRUE(check_url(allow, "https://fapi.binance.com:443/fapi/v1/exchangeInfo"));
  EXPECT_TRUE(check_url(allow, "https://fapi.binance.com/fapi"));
  EXPECT_TRUE(check_url(allow, "https://api.hyperliquid.xyz/info"));
  // Dots in the query are data, not path segments.
  EXPECT_TRUE(check_url(allow, "https://fapi.binance.com/fapi/v1/x?p=../../etc"));
  // The raw target is sent as given (no re-encoding).
  auto encoded = check_url(allow, "https://fapi.binance.com/fapi/v1/products/BTC%2DUSD?x=%20");
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->target, "/fapi/v1/products/BTC%2DUSD?x=%20");
}

TEST(UrlAllowlist, RejectsEverythingElse) {
  const auto allow = bases({"https://fapi.binance.com/fapi/"});
  const char* rejected[] = {
      "http://fapi.binance.com/fapi/v1/klines",             // other scheme
      "https://fapi.binance.com:8443/fapi/v1/klines",       // other port
      "https://user:pw@fapi.binance.com/fapi/v1/klines",    // userinfo
      "https://fapi.binance.com@evil.example/fapi/v1",      // userinfo trick
      "https://fapi.binance.com.evil.example/fapi/v1",      // other host
      "https://evil.example/fapi/v1",                       // other host
      "https://fapi.binance.com/sapi/v1/klines",            // outside the prefix
      "https://fapi.binance.com/fapix/v1",                  // prefix is per segment
      "https://fapi.binance.com/",                          // root
      "https://fapi.binance.com",                           // no path
      "https://fapi.binance.com/fapi/../sapi/v1",           // traversal
      "https://fapi.binance.com/fapi/v1/..",                // traversal at the end
      "https://fapi.binance.com/fapi/./v1",                 // dot segment
      "https://fapi.binance.com/fapi/%2e%2e/sapi",          // encoded traversal
      "https://fapi.binance.com/fapi/%2E%2E/sapi",          // encoded traversal
      "https://fapi.binance.com/fapi/v1%2f..%2f..%2fsapi",  // encoded slash
      "https://fapi.binance.com/fapi/v1%5c..",              // encoded backslash
      "https://fapi.binance.com/fapi/v1%00",                // encoded NUL
      "https://fapi.binance.com/fapi//v1",                  // empty segment
      "https://fapi.binance.com/fapi/v1\\..\\x",            // backslash
      "https://fapi.binance.com/fapi/v1#frag",              // fragment
      "https://fapi.binance.com/fapi/v1 klines",            // space
      "https://fapi.binance.com/fapi/v1\r\nHost: x",        // CRLF injection
      "https://fapi.binance.com/fapi/v1%zz",                // bad escape
      "https://fapi.binance.com:abc/fapi/v1",               // bad port
      "https://fapi.binance.com:/fapi/v1",                  // empty port
      "/fapi/v1/klines",                                    // relative
      "//fapi.binance.com/fapi/v1",                         // scheme-relative
      "ftp://fapi.binance.com/fapi/v1",                     // other scheme
      "javascript:alert(1)",                                // not a URL for us
      "",                                                   // empty
  };
  for (const char* url : rejected) {
    std::string reason;
    EXPECT_FALSE(check_url(allow, url, &reason).has_value()) << url;
    EXPECT_FALSE(reason.empty()) << url;
  }
  EXPECT_FALSE(check_url(allow, std::string(9000, 'a')));
}

TEST(UrlAllowlist, LoopbackBaseWithPort) {
  const auto allow = bases({"http://127.0.0.1:18080/api"});
  EXPECT_TRUE(check_url(allow, "http://127.0.0.1:18080/api/v1/klines?limit=1"));
  EXPECT_FALSE(check_url(allow, "http://127.0.0.1:18081/api/v1/klines"));
  EXPECT_FALSE(check_url(allow, "http://127.0.0.1/api/v1/klines"));
  EXPECT_FALSE(check_url(allow, "http://localhost:18080/api/v1/klines"));  // host compared as text
}
