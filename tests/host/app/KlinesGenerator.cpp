#include "KlinesGenerator.hpp"

#include <charconv>
#include <optional>

namespace mdp::app::integration {
namespace {

constexpr std::int64_t kMinute = 60'000;

std::optional<std::int64_t> integer_param(const fake::RecordedRequest& request, const char* name) {
  const auto text = request.param(name);
  if (!text) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size()) return std::nullopt;
  return value;
}

}  // namespace

std::string binance_1m_klines(std::int64_t start_time, std::int64_t end_time, std::int64_t limit) {
  std::string body = "[";
  std::int64_t t = (start_time + kMinute - 1) / kMinute * kMinute;  // Binance rounds startTime up
  for (std::int64_t n = 0; t <= end_time && n < limit; t += kMinute, ++n) {
    const std::int64_t minute = t / kMinute;
    const std::string price = std::to_string(40'000 + minute % 1000) + "." + std::to_string(minute % 10);
    const std::string high = std::to_string(40'001 + minute % 1000) + ".9";
    const std::string low = std::to_string(39'999 + minute % 1000) + ".0";
    if (n > 0) body += ",";
    body += "[" + std::to_string(t) + ",\"" + price + "\",\"" + high + "\",\"" + low + "\",\"" + price + "\",\"1.250\"," +
            std::to_string(t + kMinute - 1) + ",\"50000.10\"," + std::to_string(minute % 500) +
            ",\"0.600\",\"24000.00\",\"0\"]";
  }
  body += "]";
  return body;
}

fake::Generator binance_1m_klines_generator() {
  return [](const fake::RecordedRequest& request) {
    const auto start = integer_param(request, "startTime");
    const auto end = integer_param(request, "endTime");
    const auto limit = integer_param(request, "limit");
    if (!start || !end || !limit || request.param("interval").value_or("") != "1m") {
      return fake::FakeResponse::json(R"({"code":-1102,"msg":"Mandatory parameter was not sent or malformed."})", 400);
    }
    return fake::FakeResponse::json(binance_1m_klines(*start, *end, *limit));
  };
}

}  // namespace mdp::app::integration
