#include "ResponseReader.hpp"

#include <algorithm>

namespace mdp::net {
namespace {

using domain::UpstreamFailure;

constexpr std::size_t kBufferSize = 64 * 1024;
constexpr std::size_t kMaxStatusLine = 8 * 1024;
constexpr std::size_t kMaxChunkLine = 1024;
constexpr std::size_t kMaxTrailerBytes = 16 * 1024;

[[noreturn]] void read_failed(const std::string& message) { throw TransportError(UpstreamFailure::ReadFailed, message); }

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-': case '.':
    case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

std::string trim_ows(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

// Comma-separated list tokens, lower-cased and trimmed.
std::vector<std::string> list_tokens(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    const auto comma = std::min(value.find(',', start), value.size());
    std::string token = lower(trim_ows(value.substr(start, comma - start)));
    if (!token.empty()) out.push_back(std::move(token));
    start = comma + 1;
  }
  return out;
}

}  // namespace

const std::string* ParsedResponse::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return &value;
  }
  return nullptr;
}

ResponseReader::ResponseReader(ByteSource& source, ResponseLimits limits)
    : source_(source), limits_(limits), buffer_(kBufferSize) {}

bool ResponseReader::fill(std::size_t max) {
  if (pos_ < end_) return true;
  const std::size_t n = source_.receive(buffer_.data(), std::max<std::size_t>(1, std::min(max, buffer_.size())));
  if (n == 0) return false;
  pos_ = 0;
  end_ = n;
  received_ += n;
  return true;
}

int ResponseReader::get() {
  if (!fill()) return -1;
  return static_cast<unsigned char>(buffer_[pos_++]);
}

bool ResponseReader::read_line(std::string& line, std::size_t max_length, std::size_t& budget) {
  line.clear();
  bool any = false;
  for (;;) {
    const int c = get();
    if (c < 0) {
      if (!any) return false;
      read_failed("connection closed inside the response header");
    }
    any = true;
    if (budget == 0) read_failed("response header too large");
    --budget;
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return true;
    }
    if (line.size() >= max_length) read_failed("response header line too long");
    line.push_back(static_cast<char>(c));
  }
}

void ResponseReader::read_head(ParsedResponse& response) {
  std::size_t budget = limits_.max_header_bytes;
  std::string line;
  // Tolerate a few stray empty lines before the status line (RFC 9112 §2.2).
  int empty_lines = 0;
  for (;;) {
    if (!read_line(line, kMaxStatusLine, budget)) {
      read_failed(received_ == 0 ? "connection closed before any response" : "connection closed before the status line");
    }
    if (!line.empty()) break;
    if (++empty_lines > 4) read_failed("malformed status line");
  }
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (line.size() < 12 || line.compare(0, 7, "HTTP/1.") != 0 || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ') {
    read_failed("malformed status line");
  }
  for (int i = 9; i < 12; ++i) {
    if (line[static_cast<std::size_t>(i)] < '0' || line[static_cast<std::size_t>(i)] > '9') {
      read_failed("malformed status line");
    }
  }
  if (line.size() > 12 && line[12] != ' ') read_failed("malformed status line");
  response.version_minor = line[7] - '0';
  response.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (response.status < 100 || response.status > 599) read_failed("status code out of range");

  response.headers.clear();
  for (;;) {
    if (!read_line(line, limits_.max_header_bytes, budget)) read_failed("connection closed inside the response header");
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') read_failed("obsolete header folding in response");
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) read_failed("malformed response header line");
    for (std::size_t i = 0; i < colon; ++i) {
      if (!is_tchar(line[i])) read_failed("malformed response header name");
    }
    if (response.headers.size() >= limits_.max_header_count) read_failed("too many response headers");
    std::string value = trim_ows(line.substr(colon + 1));
    for (const char c : value) {
      if (c == '\0' || c == '\r') read_failed("control character in response header");
    }
    response.headers.emplace_back(lower(line.substr(0, colon)), std::move(value));
  }
}

void ResponseReader::append_body(ParsedResponse& response, const char* data, std::size_t length) {
  if (response.body.size() + length > limits_.max_body_bytes) {
    throw TransportError(UpstreamFailure::TooLarge,
                         "response body exceeds the cap of " + std::to_string(limits_.max_body_bytes) + " bytes");
  }
  response.body.append(data, length);
}

void ResponseReader::read_fixed(ParsedResponse& response, std::uint64_t length) {
  if (length > limits_.max_body_bytes) {
    throw TransportError(UpstreamFailure::TooLarge, "response Content-Length " + std::to_string(length) +
                                                        " exceeds the cap of " +
                                                        std::to_string(limits_.max_body_bytes) + " bytes");
  }
  response.body.reserve(static_cast<std::size_t>(length));
  std::uint64_t left = length;
  while (left > 0) {
    if (!fill(static_cast<std::size_t>(std::min<std::uint64_t>(left, kBufferSize)))) {
      read_failed("connection closed after " + std::to_string(length - left) + " of " + std::to_string(length) +
                  " body bytes");
    }
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, end_ - pos_));
    response.body.append(buffer_.data() + pos_, n);
    pos_ += n;
    left -= n;
  }
}

void ResponseReader::read_chunked(ParsedResponse& response) {
  std::string line;
  for (;;) {
    std::size_t line_budget = kMaxChunkLine + 2;
    if (!read_line(line, kMaxChunkLine, line_budget)) read_failed("connection closed before the last chunk");
    std::uint64_t size = 0;
    std::size_t digits = 0;
    for (const char c : line) {
      int v = -1;
      if (c >= '0' && c <= '9') v = c - '0';
      else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
      if (v < 0) {
        if (c == ';' || c == ' ' || c == '\t') break;  // chunk extension
        read_failed("malformed chunk size");
      }
      if (++digits > 15) read_failed("chunk size too large");
      size = size * 16 + static_cast<std::uint64_t>(v);
    }
    if (digits == 0) read_failed("malformed chunk size");
    if (size == 0) break;
    if (response.body.size() + size > limits_.max_body_bytes) {
      throw TransportError(UpstreamFailure::TooLarge,
                           "response body exceeds the cap of " + std::to_string(limits_.max_body_bytes) + " bytes");
    }
    std::uint64_t left = size;
    while (left > 0) {
      if (!fill(static_cast<std::size_t>(std::min<std::uint64_t>(left, kBufferSize)))) {
        read_failed("connection closed inside a chunk");
      }
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, end_ - pos_));
      response.body.append(buffer_.data() + pos_, n);
      pos_ += n;
      left -= n;
    }
    line_budget = 3;
    if (!read_line(line, 2, line_budget)) read_failed("connection closed inside a chunk");
    if (!line.empty()) read_failed("missing CRLF after chunk data");
  }
  // Trailer section, ended by an empty line. Trailers are read and dropped.
  std::size_t trailer_budget = kMaxTrailerBytes;
  for (;;) {
    if (!read_line(line, kMaxTrailerBytes, trailer_budget)) read_failed("connection closed before the end of a chunked body");
    if (line.empty()) break;
  }
}

void ResponseReader::read_to_close(ParsedResponse& response) {
  for (;;) {
    // Never ask for more than one byte past the cap.
    if (!fill(limits_.max_body_bytes + 1 - response.body.size())) return;
    const std::size_t n = end_ - pos_;
    append_body(response, buffer_.data() + pos_, n);
    pos_ += n;
  }
}

ParsedResponse ResponseReader::read() {
  ParsedResponse response;
  for (;;) {
    read_head(response);
    if (response.status == 101) read_failed("unexpected protocol switch");
    if (response.status >= 200) break;  // interim 1xx responses carry no body
  }

  bool keep_alive = response.version_minor >= 1;
  std::string te_value;
  std::vector<std::string> lengths;
  for (const auto& [name, value] : response.headers) {
    if (name == "connection") {
      for (const auto& token : list_tokens(value)) {
        if (token == "close") keep_alive = false;
        if (token == "keep-alive" && response.version_minor == 0) keep_alive = true;
      }
    } else if (name == "transfer-encoding") {
      if (!te_value.empty()) te_value += ',';
      te_value += value;
    } else if (name == "content-length") {
      lengths.push_back(value);
    }
  }
  // Once the body is known to be fully read, reuse is decided by keep_alive and framing.
  if (response.status == 204 || response.status == 304) {
    response.reusable = keep_alive;
    return response;
  }
  if (!te_value.empty()) {
    const auto codings = list_tokens(te_value);
    if (!codings.empty() && codings.back() == "chunked") {
      read_chunked(response);
      // With both framings present the sender is suspect: do not reuse the connection.
      response.reusable = keep_alive && lengths.empty() && codings.size() == 1;
    } else {
      read_to_close(response);
      response.reusable = false;
    }
    return response;
  }
  if (!lengths.empty()) {
    std::uint64_t length = 0;
    for (std::size_t i = 0; i < lengths.size(); ++i) {
      const std::string& text = lengths[i];
      if (text.empty() || text.size() > 15 ||
          !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        read_failed("invalid Content-Length in response");
      }
      const std::uint64_t value = std::stoull(text);
      if (i > 0 && value != length) read_failed("conflicting Content-Length headers in response");
      length = value;
    }
    read_fixed(response, length);
    response.reusable = keep_alive;
    return response;
  }
  read_to_close(response);
  response.reusable = false;
  return response;
}

}  // namespace mdp::net
