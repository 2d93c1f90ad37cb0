// Strict query-string parser. Poco::URI::getQueryParameters throws on bad escapes, decodes
// %00, keeps duplicates and lets invalid UTF-8 through (RELIABILITY.md §8 #15); this one
// refuses all of that with a precise, client-safe reason instead of throwing.
//
// Grammar accepted (after the '?', before nothing: a '#' in the target is refused):
//   query = param *( "&" param ); param = name [ "=" value ]
// - raw bytes: RFC 3986 query characters only (unreserved, sub-delims except '&' as the
//   separator, ':', '@', '/', '?', and '%' escapes); anything else is refused;
// - '+' decodes to a space (HTML form encoding, what clients send);
// - "%XX" must be two hex digits; the decoded bytes must be valid UTF-8 with no control
//   characters (so %00, %0A and %C0%AF are refused);
// - empty pieces ("a=1&&b=2", a trailing '&') and empty names ("=1") are refused;
// - a name given twice is refused, naming it (no first-wins/last-wins ambiguity);
// - caps on the number of parameters and on name and value length (after decoding).
// An empty query ("" or just "?") gives no parameters.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "QueryParameters.hpp"

namespace mdp::http {

struct QueryLimits {
  std::size_t max_parameters = 32;
  std::size_t max_name_bytes = 64;
  std::size_t max_value_bytes = 1024;
};

enum class QueryErrorKind {
  EmptyParameter,     // "a=1&&b=2", trailing '&'
  EmptyName,          // "=1"
  InvalidCharacter,   // a raw byte outside the query grammar ('#', space, '"', >= 0x80, …)
  BadEscape,          // '%' not followed by two hex digits
  ControlCharacter,   // decodes to a byte below 0x20 or 0x7F (incl. %00)
  InvalidUtf8,        // decodes to bytes that are not UTF-8
  NameTooLong,
  ValueTooLong,
  TooManyParameters,
  DuplicateParameter,
};

struct QueryError {
  QueryErrorKind kind;
  // The decoded parameter name when it is known and valid (so safe to show), else empty.
  std::string parameter;

  // Client-facing sentence for a 400 `detail`, e.g. "duplicate query parameter 'symbol'".
  std::string message() const;
};

struct QueryParseResult {
  QueryParameters parameters;
  std::optional<QueryError> error;

  bool ok() const noexcept { return !error.has_value(); }
};

class QueryParser {
 public:
  explicit QueryParser(QueryLimits limits = {}) : limits_(limits) {}

  QueryParseResult parse(std::string_view query) const;

  const QueryLimits& limits() const noexcept { return limits_; }

 private:
  QueryLimits limits_;
};

}  // namespace mdp::http
