#include "ClientCredentials.hpp"

#include <algorithm>
#include <stdexcept>

#include "Base64.hpp"
#include "SecureRandom.hpp"

namespace mdp::auth {

std::string new_client_id() { return "mdp_" + base64url_encode(random_bytes(12)); }

std::string new_client_secret() { return base64url_encode(random_bytes(32)); }

bool is_known_scope(std::string_view scope) noexcept { return scope == kScopeMarketRead || scope == kScopeAdmin; }

std::vector<std::string> parse_scope_option(std::string_view text) {
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!is_known_scope(item)) {
      throw std::invalid_argument("unknown scope '" + std::string(item) + "' (known: market:read, admin)");
    }
    if (std::find(scopes.begin(), scopes.end(), item) == scopes.end()) scopes.emplace_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return scopes;
}

bool is_valid_client_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) {
    if (!out.empty()) out.push_back(' ');
    out.append(scope);
  }
  return out;
}

}  // namespace mdp::auth
