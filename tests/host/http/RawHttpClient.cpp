#include "RawHttpClient.hpp"

#include <cctype>
#include <cstdlib>

#include <Poco/Exception.h>
#include <Poco/Timespan.h>

namespace mdp::http::test {

namespace {

Poco::Timespan to_timespan(std::chrono::milliseconds ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000);
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string trim(const std::string& text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string::npos) return {};
  const auto end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

}  // namespace

RawHttpClient::RawHttpClient(std::uint16_t port, std::chrono::milliseconds timeout) {
  socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port), to_timespan(timeout));
  socket_.setReceiveTimeout(to_timespan(timeout));
  socket_.setSendTimeout(to_timespan(timeout));
}

void RawHttpClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const int n = socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) throw Poco::IOException("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

bool RawHttpClient::fill() {
  char chunk[8192];
  try {
    const int n = socket_.receiveBytes(chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

std::optional<RawResponse> RawHttpClient::read_response(bool head_only) {
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return std::nullopt;
  }
  RawResponse response;
  const std::string head = buffer_.substr(0, head_end);
  buffer_.erase(0, head_end + 4);
  std::size_t line_start = 0;
  bool first = true;
  while (line_start <= head.size()) {
    std::size_t line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const std::string line = head.substr(line_start, line_end - line_start);
    line_start = line_end + 2;
    if (first) {
      response.status_line = line;
      const auto space = line.find(' ');
      if (space != std::string::npos) response.status = std::atoi(line.c_str() + space + 1);
      first = false;
      continue;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) response.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
  }
  if (head_only) return response;
  std::size_t length = 0;
  if (const std::string* value = response.header("content-length")) length = std::stoul(*value);
  while (buffer_.size() < length) {
    if (!fill()) return std::nullopt;
  }
  response.body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool RawHttpClient::closed_by_server(std::chrono::milliseconds within) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  socket_.setReceiveTimeout(to_timespan(within));
  while (std::chrono::steady_clock::now() < deadline) {
    char chunk[4096];
    try {
      const int n = socket_.receiveBytes(chunk, sizeof chunk);
      if (n <= 0) return true;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    } catch (const Poco::TimeoutException&) {
      return false;
    } catch (const Poco::Exception&) {
      return true;  // reset
    }
  }
  return false;
}

std::string simple_request(const std::string& method, const std::string& target, const std::string& extra) {
  return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

}  // namespace mdp::http::test
