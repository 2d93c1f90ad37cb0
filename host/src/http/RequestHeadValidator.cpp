#include "RequestHeadValidator.hpp"

#include <string>

namespace mdp::http {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool looks_like_http_version(std::string_view version) noexcept {
  return version.size() == 8 && version.substr(0, 5) == "HTTP/" && is_digit(version[5]) && version[6] == '.' &&
         is_digit(version[7]);
}

// Strict Content-Length: 1..18 ASCII digits (no sign, no spaces, no list), so it fits int64.
std::optional<std::uint64_t> parse_content_length(std::string_view text) noexcept {
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

std::string_view trim(std::string_view text) noexcept {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

RequestHeadVerdict RequestHeadValidator::check(HttpMethod method, std::string_view version,
                                               std::string_view target, const HeaderList& headers) const {
  RequestHeadVerdict verdict;

  // Gather what the framing rules need in one pass over the headers.
  std::size_t header_bytes = 0;
  std::size_t content_length_count = 0;
  std::size_t transfer_encoding_count = 0;
  std::string_view content_length_text;
  std::string_view transfer_encoding_text;
  for (const auto& [name, value] : headers) {
    header_bytes += name.size() + value.size() + 4;  // ": " and CRLF
    if (equals_ignore_case(name, "Content-Length")) {
      ++content_length_count;
      content_length_text = value;
    } else if (equals_ignore_case(name, "Transfer-Encoding")) {
      ++transfer_encoding_count;
      transfer_encoding_text = value;
    }
  }
  const std::optional<std::uint64_t> content_length = parse_content_length(trim(content_length_text));

  std::optional<std::string> framing_error;
  if (content_length_count > 0 && transfer_encoding_count > 0) {
    framing_error = "request has both Content-Length and Transfer-Encoding";
  } else if (content_length_count > 1) {
    framing_error = "request has more than one Content-Length";
  } else if (content_length_count == 1 && !content_length) {
    framing_error = "Content-Length must be a non-negative decimal integer";
  } else if (transfer_encoding_count > 1 || (transfer_encoding_count == 1 &&
                                             !equals_ignore_case(trim(transfer_encoding_text), "chunked"))) {
    framing_error = "only 'Transfer-Encoding: chunked' is accepted";
  } else if (transfer_encoding_count == 1 && version == "HTTP/1.0") {
    framing_error = "Transfer-Encoding is not allowed in HTTP/1.0";
  }

  if (!framing_error) {
    if (transfer_encoding_count == 1) {
      verdict.body.kind = BodyFraming::Kind::Chunked;
    } else if (content_length && *content_length > 0) {
      verdict.body.kind = BodyFraming::Kind::Length;
      verdict.body.length = *content_length;
    }
  }
  const bool declares_body = framing_error.has_value() || verdict.body.kind != BodyFraming::Kind::None;

  const auto refuse = [&](ProblemType type, std::string detail, bool always_close) {
    verdict.problem.emplace(type, std::move(detail));
    verdict.close_connection = always_close || declares_body;
    return verdict;
  };

  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    if (looks_like_http_version(version)) {
      return refuse(ProblemType::UnsupportedVersion, "only HTTP/1.0 and HTTP/1.1 are supported", true);
    }
    return refuse(ProblemType::BadRequest, "malformed HTTP version", true);
  }
  if (target.empty() || target.front() != '/') {
    return refuse(ProblemType::BadRequest, "request target must be an absolute path", false);
  }
  if (target.size() > limits_.max_uri_bytes) {
    return refuse(ProblemType::UriTooLong,
                  "request target longer than " + std::to_string(limits_.max_uri_bytes) + " bytes", false);
  }
  if (header_bytes > limits_.max_header_bytes) {
    return refuse(ProblemType::HeadersTooLarge,
                  "request headers larger than " + std::to_string(limits_.max_header_bytes) + " bytes", false);
  }
  if (framing_error) return refuse(ProblemType::BadRequest, *framing_error, true);
  if ((method == HttpMethod::Get || method == HttpMethod::Head) && verdict.body.kind != BodyFraming::Kind::None) {
    return refuse(ProblemType::BadRequest, "GET and HEAD requests must not have a body", true);
  }
  if (verdict.body.kind == BodyFraming::Kind::Length && verdict.body.length > limits_.max_body_bytes) {
    return refuse(ProblemType::PayloadTooLarge,
                  "request body larger than " + std::to_string(limits_.max_body_bytes) + " bytes", true);
  }
  return verdict;
}

}  // namespace mdp::http
