#include "ResponseFormat.hpp"

#include <cctype>
#include <string>

#include "Parameters.hpp"

namespace mdp::api {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// q as thousandths (RFC 9110 §12.4.2: 0..1 with up to three decimals); malformed -> 1.
int parse_q(std::string_view value) {
  if (value.empty()) return 1000;
  if (value[0] == '1') return 1000;
  if (value[0] != '0') return 1000;
  int q = 0;
  int scale = 100;
  for (std::size_t i = 2; i < value.size() && i < 5; ++i) {
    if (value[i] < '0' || value[i] > '9') break;
    q += (value[i] - '0') * scale;
    scale /= 10;
  }
  return q;
}

struct Preference {
  int specificity = -1;  // 0 "*/*", 1 "type/*", 2 exact; -1 no range matched
  int q = 0;
};

void consider(Preference& best, std::string_view range, int q, std::string_view type, std::string_view subtype) {
  const std::size_t slash = range.find('/');
  if (slash == std::string_view::npos) return;
  const std::string_view range_type = range.substr(0, slash);
  const std::string_view range_subtype = range.substr(slash + 1);
  int specificity = -1;
  if (range_type == "*" && range_subtype == "*") specificity = 0;
  else if (range_type == type && range_subtype == "*") specificity = 1;
  else if (range_type == type && range_subtype == subtype) specificity = 2;
  if (specificity > best.specificity) best = Preference{specificity, q};
}

}  // namespace

ResponseFormat format_from_accept(std::string_view accept) {
  Preference json;
  Preference csv;
  const std::string text = lower(accept);
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semicolon = element.find(';');
    const std::string_view range = trim(element.substr(0, semicolon));
    int q = 1000;
    std::string_view params = semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1);
    while (!params.empty()) {
      const std::size_t next = params.find(';');
      const std::string_view param = trim(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.size() >= 2 && param[0] == 'q' && param[1] == '=') q = parse_q(trim(param.substr(2)));
    }
    consider(json, range, q, "application", "json");
    consider(csv, range, q, "text", "csv");
  }
  const int json_q = json.specificity < 0 ? 0 : json.q;
  const int csv_q = csv.specificity < 0 ? 0 : csv.q;
  return csv_q > json_q ? ResponseFormat::Csv : ResponseFormat::Json;
}

ResponseFormat negotiate_format(const http::Request& request) {
  if (const std::optional<std::string> format = optional_text(request, "format")) {
    if (*format == "json") return ResponseFormat::Json;
    if (*format == "csv") return ResponseFormat::Csv;
    reject_parameter("format", "parameter 'format' must be json or csv");
  }
  const std::string* accept = request.header("Accept");
  return accept == nullptr ? ResponseFormat::Json : format_from_accept(*accept);
}

}  // namespace mdp::api
