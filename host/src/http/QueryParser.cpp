#include "QueryParser.hpp"

#include <algorithm>

#include "Utf8.hpp"

namespace mdp::http {

namespace {

// RFC 3986 §3.4 query characters, minus '&' (our separator) and '%' (handled as escape).
bool is_query_character(unsigned char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-': case '.': case '_': case '~':                       // unreserved
    case '!': case '$': case '\'': case '(': case ')': case '*':  // sub-delims
    case '+': case ',': case ';': case '=':
    case ':': case '@': case '/': case '?':
      return true;
    default:
      return false;
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one name or value into `out`; nullopt on success.
std::optional<QueryErrorKind> decode_component(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return QueryErrorKind::BadEscape;
      const int high = hex_value(raw[i + 1]);
      const int low = hex_value(raw[i + 2]);
      if (high < 0 || low < 0) return QueryErrorKind::BadEscape;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+') {
      out.push_back(' ');
    } else if (is_query_character(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else {
      return QueryErrorKind::InvalidCharacter;
    }
  }
  for (const char c : out) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20U || byte == 0x7FU) return QueryErrorKind::ControlCharacter;
  }
  if (!is_valid_utf8(out)) return QueryErrorKind::InvalidUtf8;
  return std::nullopt;
}

}  // namespace

std::string QueryError::message() const {
  std::string text;
  switch (kind) {
    case QueryErrorKind::EmptyParameter: text = "empty query parameter (check for '&&' or a trailing '&')"; break;
    case QueryErrorKind::EmptyName: text = "query parameter without a name"; break;
    case QueryErrorKind::InvalidCharacter: text = "invalid character in the query string (percent-encode it)"; break;
    case QueryErrorKind::BadEscape: text = "malformed percent-escape in the query string"; break;
    case QueryErrorKind::ControlCharacter: text = "control character in the query string"; break;
    case QueryErrorKind::InvalidUtf8: text = "query string is not valid UTF-8 after percent-decoding"; break;
    case QueryErrorKind::NameTooLong: text = "query parameter name too long"; break;
    case QueryErrorKind::ValueTooLong: text = "query parameter value too long"; break;
    case QueryErrorKind::TooManyParameters: text = "too many query parameters"; break;
    case QueryErrorKind::DuplicateParameter: text = "duplicate query parameter"; break;
  }
  if (!parameter.empty()) {
    text.append(kind == QueryErrorKind::DuplicateParameter ? " '" : " in parameter '");
    text.append(parameter);
    text.push_back('\'');
  }
  return text;
}

QueryParseResult QueryParser::parse(std::string_view query) const {
  QueryParseResult result;
  const auto fail = [&result](QueryErrorKind kind, std::string parameter = {}) {
    result.parameters = QueryParameters{};
    result.error = QueryError{kind, std::move(parameter)};
    return std::move(result);
  };
  if (query.empty()) return result;

  std::string name;
  std::string value;
  std::size_t start = 0;
  while (start <= query.size()) {
    const std::size_t end = std::min(query.find('&', start), query.size());
    const std::string_view piece = query.substr(start, end - start);
    start = end + 1;
    if (piece.empty()) return fail(QueryErrorKind::EmptyParameter);
    if (result.parameters.size() >= limits_.max_parameters) {
      return fail(QueryErrorKind::TooManyParameters);
    }
    const std::size_t equals = piece.find('=');
    const std::string_view raw_name = piece.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view{} : piece.substr(equals + 1);

    if (auto error = decode_component(raw_name, name)) return fail(*error);
    if (name.empty()) return fail(QueryErrorKind::EmptyName);
    if (name.size() > limits_.max_name_bytes) return fail(QueryErrorKind::NameTooLong);
    if (auto error = decode_component(raw_value, value)) return fail(*error, name);
    if (value.size() > limits_.max_value_bytes) return fail(QueryErrorKind::ValueTooLong, name);
    if (result.parameters.contains(name)) return fail(QueryErrorKind::DuplicateParameter, name);
    result.parameters.add(name, value);
    if (end == query.size()) break;
  }
  return result;
}

}  // namespace mdp::http
