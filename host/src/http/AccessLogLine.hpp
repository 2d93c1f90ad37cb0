// One access-log line per request, logfmt style, for the Poco::Logger "http.access":
//   method=GET path=/v1/candles status=200 duration_us=812 request_id=3f2a… client_id=- remote=10.0.0.7 bytes=19211
// The path is logged without its query (which may carry tokens or personal data) and
// client-controlled text is made log-safe: bytes outside printable ASCII, '"' and '\\' become
// '?', and long values are cut. Headers (Authorization above all) are never logged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::http {

struct AccessLogLine {
  std::string_view method;
  std::string_view path;
  int status = 0;
  std::int64_t duration_us = 0;
  std::string_view request_id;
  std::string_view client_id;  // empty -> "-"
  std::string_view remote;
  std::size_t response_bytes = 0;

  std::string format() const;
};

// Copies `text` with every byte outside 0x20..0x7E (and '"', '\\') replaced by '?', cut to
// `max_bytes` with a trailing "...". For anything client-controlled that reaches a log.
std::string log_safe(std::string_view text, std::size_t max_bytes = 256);

}  // namespace mdp::http
