// Arbitrary bytes as the raw query string of GET /v1/candles: QueryParser (grammar, escapes,
// UTF-8, limits, duplicates), then the parameter readers the route calls. Every refusal
// must be a ProblemError (a 400 with a problem body); anything else escaping is a finding.
// Also: every time parse_time accepts formats back to an instant it parses to the same value.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "FuzzCheck.hpp"
#include "Parameters.hpp"
#include "ProblemError.hpp"
#include "QueryParser.hpp"
#include "Request.hpp"
#include "Time.hpp"

namespace {

namespace http = mdp::http;

constexpr std::int64_t kYear10000Ms = 253'402'300'800'000;  // first instant format_iso8601 can't write in 4 digits

void check_time_round_trip(const std::string& value) {
  const std::optional<std::int64_t> ms = mdp::domain::parse_time(value);
  if (!ms || *ms < 0 || *ms >= kYear10000Ms) return;
  const std::optional<std::int64_t> again = mdp::domain::parse_time(mdp::domain::format_iso8601(*ms));
  mdp::fuzz::check(again == ms, "parse_time(format_iso8601(parse_time(x))) == parse_time(x)");
}

template <typename Read>
void read_parameter(Read read) {
  try {
    read();
  } catch (const http::ProblemError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const http::QueryParser parser;
  http::QueryParseResult parsed = parser.parse(mdp::fuzz::as_text(data, size));
  if (!parsed.ok()) {
    (void)parsed.error->message();
    return 0;
  }
  for (const auto& entry : parsed.parameters.entries()) check_time_round_trip(entry.second);

  http::Request request;
  request.set_path("/v1/candles");
  request.set_query(std::move(parsed.parameters));
  read_parameter([&] {
    request.reject_unknown_parameters({"exchange", "symbol", "interval", "start", "end", "limit", "format"});
  });
  read_parameter([&] { (void)mdp::api::required_text(request, "symbol"); });
  read_parameter([&] { (void)mdp::api::optional_text(request, "interval"); });
  read_parameter([&] { (void)mdp::api::optional_time(request, "start"); });
  read_parameter([&] { (void)mdp::api::optional_time(request, "end"); });
  read_parameter([&] { (void)mdp::api::optional_count(request, "limit", 1, 5000); });
  read_parameter([&] { (void)mdp::api::optional_flag(request, "include_open"); });
  return 0;
}
