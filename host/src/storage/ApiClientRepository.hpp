// api_clients: the OAuth clients allowed to ask POST /v1/auth/token for tokens.
//
// The secret itself is never stored or returned: `secret_hash` holds a salted slow hash
// (a PHC string from mdp_auth's SecretHasher). Revoking keeps the row (revoked_at set), so
// names are never reused by accident and the audit trail stays.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "Database.hpp"

namespace mdp::storage {

struct ApiClient {
  std::string id;           // client_id, generated
  std::string name;         // unique, chosen by the operator
  std::string secret_hash;  // PHC string
  std::string scopes;       // space-separated
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> revoked_at_ms;

  bool active() const noexcept { return !revoked_at_ms.has_value(); }
};

class ApiClientRepository {
 public:
  explicit ApiClientRepository(Database& db) : db_(db) {}

  // Throws DatabaseError (is_constraint_violation()) when the id or the name exists.
  void insert(const ApiClient& client);
  std::optional<ApiClient> find_by_id(const std::string& id);
  std::optional<ApiClient> find_by_name(const std::string& name);
  // Every client, revoked ones included, ordered by name.
  std::vector<ApiClient> list();
  // Sets revoked_at on the active client with this name; false when there is none.
  bool revoke(const std::string& name, std::int64_t now_ms);
  std::size_t count();

 private:
  Database& db_;
};

}  // namespace mdp::storage
