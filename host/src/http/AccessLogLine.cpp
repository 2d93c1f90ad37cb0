#include "AccessLogLine.hpp"

namespace mdp::http {

std::string log_safe(std::string_view text, std::size_t max_bytes) {
  const bool cut = text.size() > max_bytes;
  if (cut) text = text.substr(0, max_bytes);
  std::string safe;
  safe.reserve(text.size() + 3);
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    safe.push_back(byte >= 0x20U && byte < 0x7FU && c != '"' && c != '\\' ? c : '?');
  }
  if (cut) safe.append("...");
  return safe;
}

std::string AccessLogLine::format() const {
  std::string line;
  line.reserve(160 + path.size());
  line.append("method=").append(log_safe(method, 32));
  line.append(" path=").append(log_safe(path));
  line.append(" status=").append(std::to_string(status));
  line.append(" duration_us=").append(std::to_string(duration_us));
  line.append(" request_id=").append(request_id.empty() ? std::string("-") : log_safe(request_id, 64));
  line.append(" client_id=").append(client_id.empty() ? std::string("-") : log_safe(client_id, 64));
  line.append(" remote=").append(remote.empty() ? std::string("-") : log_safe(remote, 64));
  line.append(" bytes=").append(std::to_string(response_bytes));
  return line;
}

}  // namespace mdp::http
