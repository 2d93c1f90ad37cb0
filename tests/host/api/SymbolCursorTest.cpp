// The opaque symbols cursor: round trip, and anything not issued by us is refused.
#include <gtest/gtest.h>

#include "SymbolCursor.hpp"

namespace mdp::api {
namespace {

TEST(SymbolCursor, RoundTripsAnyPosition) {
  for (const service::SymbolPosition& position :
       {service::SymbolPosition{"binance_futures", "BTC/USDT:USDT"}, service::SymbolPosition{"a", "X"},
        service::SymbolPosition{"hyperliquid", "\xE5\xB8\x81\xE5\xAE\x89/USDT:USDT"},
        service::SymbolPosition{"coinbase", "BTC/USD,\"odd\"?&="}}) {
    const std::string cursor = encode_symbol_cursor(position);
    for (const char c : cursor) {
      EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << cursor;
    }
    const auto decoded = decode_symbol_cursor(cursor);
    ASSERT_TRUE(decoded) << cursor;
    EXPECT_EQ(decoded->exchange, position.exchange);
    EXPECT_EQ(decoded->symbol, position.symbol);
  }
}

TEST(SymbolCursor, RefusesWhatItDidNotIssue) {
  const std::string good = encode_symbol_cursor({"binance_futures", "BTC/USDT:USDT"});
  std::string tampered = good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  for (const std::string& bad :
       {std::string(), std::string("x"), std::string("not a cursor"), std::string("YWJj"),  // "abc": no version
        good + "=", good.substr(1), std::string(800, 'A'),
        encode_symbol_cursor({"Bad.Id", "X"}), encode_symbol_cursor({"ex", ""}),
        encode_symbol_cursor({"ex", std::string("a\x01z")})}) {
    EXPECT_FALSE(decode_symbol_cursor(bad)) << bad;
  }
  // A cursor whose last character carries stray low bits decodes to nothing or to
  // something else; it never throws.
  (void)decode_symbol_cursor(tampered);
}

}  // namespace
}  // namespace mdp::api
