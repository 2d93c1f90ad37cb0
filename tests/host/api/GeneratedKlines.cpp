#include "GeneratedKlines.hpp"

#include <algorithm>
#include <string>

namespace mdp::api::test {

std::int64_t interval_ms(std::string_view code) {
  constexpr std::int64_t m = 60'000;
  if (code == "1m") return m;
  if (code == "3m") return 3 * m;
  if (code == "5m") return 5 * m;
  if (code == "15m") return 15 * m;
  if (code == "30m") return 30 * m;
  if (code == "1h") return 60 * m;
  if (code == "2h") return 120 * m;
  if (code == "4h") return 240 * m;
  if (code == "1d") return 1440 * m;
  return 0;
}

ExpectedCandle expected_candle(std::int64_t open_time_ms, std::int64_t interval_length_ms) {
  const std::int64_t k = open_time_ms / interval_length_ms;
  const std::int64_t base = 30'000 + k % 20'000;
  ExpectedCandle c;
  c.open_time = open_time_ms;
  c.close_time = open_time_ms + interval_length_ms - 1;
  c.open = std::to_string(base) + ".5";
  c.high = std::to_string(base + 100) + ".25";
  c.low = std::to_string(base - 100) + ".75";
  c.close = std::to_string(base + 7) + ".125";
  c.volume = std::to_string(k % 1000) + ".001";
  c.quote_volume = std::to_string(k % 100'000) + ".5";
  c.trades = k % 5000;
  return c;
}

fake::FakeResponse generated_klines(const fake::RecordedRequest& request) {
  const std::int64_t step = interval_ms(request.param("interval").value_or(""));
  if (step == 0) return fake::FakeResponse::json(R"({"code":-1120,"msg":"Invalid interval."})", 400);
  const std::int64_t start = std::stoll(request.param("startTime").value_or("0"));
  const std::int64_t end = std::stoll(request.param("endTime").value_or("0"));  // inclusive, as Binance
  const std::int64_t limit = std::min<std::int64_t>(std::stoll(request.param("limit").value_or("500")), 1500);
  std::string body = "[";
  std::int64_t t = (start + step - 1) / step * step;  // Binance rounds startTime up to a bucket
  for (std::int64_t n = 0; t <= end && n < limit; t += step, ++n) {
    const ExpectedCandle c = expected_candle(t, step);
    if (n > 0) body += ',';
    body += "[" + std::to_string(c.open_time) + ",\"" + c.open + "\",\"" + c.high + "0\",\"" + c.low + "\",\"" +
            c.close + "\",\"" + c.volume + "\"," + std::to_string(c.close_time) + ",\"" + c.quote_volume + "\"," +
            std::to_string(c.trades) + ",\"0.5\",\"100.5\",\"0\"]";
  }
  body += "]";
  return fake::FakeResponse::json(std::move(body)).with_header("X-MBX-USED-WEIGHT-1M", "10");
}

fake::RouteId serve_generated_klines(fake::FakeExchangeServer& exchange) {
  return exchange.add_route(fake::RouteMatch{"GET", "/fapi/v1/klines", {}, {}}, generated_klines);
}

}  // namespace mdp::api::test
