// Client ids, client secrets and the scope catalogue.
//   - client id: "mdp_" + 16 base64url characters (96 random bits): unguessable, so ids
//     can appear in logs without helping anyone;
//   - client secret: 43 base64url characters (256 random bits), generated here only,
//     shown once, stored as a SecretHasher PHC string;
//   - scopes: "market:read" (data routes) and "admin" (admin routes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mdp::auth {

inline constexpr std::string_view kScopeMarketRead = "market:read";
inline constexpr std::string_view kScopeAdmin = "admin";

std::string new_client_id();
std::string new_client_secret();

bool is_known_scope(std::string_view scope) noexcept;

// "market:read,admin" (the CLI's --scopes) -> {"market:read", "admin"}: known scopes only,
// no empties, duplicates dropped. Throws std::invalid_argument naming the offending item.
std::vector<std::string> parse_scope_option(std::string_view text);

// Operator-chosen client names: 1..64 of [A-Za-z0-9._-].
bool is_valid_client_name(std::string_view name) noexcept;

// {"market:read", "admin"} -> "market:read admin" (the api_clients.scopes form).
std::string join_scopes(const std::vector<std::string>& scopes);

}  // namespace mdp::auth
