#include "ClientAdmin.hpp"

#include "ClientCredentials.hpp"
#include "DatabaseError.hpp"

namespace mdp::auth {

ClientAdmin::ClientAdmin(storage::Database& db, std::shared_ptr<const SecretHasher> hasher, AuthClock clock)
    : clients_(db), hasher_(std::move(hasher)), clock_(std::move(clock)) {
  if (!hasher_ || !clock_) throw std::invalid_argument("ClientAdmin: missing dependency");
}

CreatedClient ClientAdmin::create(const std::string& name, const std::vector<std::string>& scopes) {
  if (!is_valid_client_name(name)) throw ClientAdminError("client name must be 1..64 of [A-Za-z0-9._-]");
  if (scopes.empty()) throw ClientAdminError("a client needs at least one scope (market:read, admin)");
  for (const auto& scope : scopes) {
    if (!is_known_scope(scope)) throw ClientAdminError("unknown scope '" + scope + "' (known: market:read, admin)");
  }
  if (clients_.find_by_name(name)) throw ClientAdminError("a client named '" + name + "' exists already");

  CreatedClient created;
  created.id = new_client_id();
  created.name = name;
  created.secret = new_client_secret();
  created.scopes = scopes;

  storage::ApiClient row;
  row.id = created.id;
  row.name = name;
  row.secret_hash = hasher_->hash(created.secret);
  row.scopes = join_scopes(scopes);
  row.created_at_ms = clock_();
  try {
    clients_.insert(row);
  } catch (const storage::DatabaseError& error) {
    // Another process took the name between our check and the insert.
    if (error.is_constraint_violation()) throw ClientAdminError("a client named '" + name + "' exists already");
    throw;
  }
  return created;
}

std::vector<storage::ApiClient> ClientAdmin::list() { return clients_.list(); }

bool ClientAdmin::revoke(const std::string& name) { return clients_.revoke(name, clock_()); }

std::optional<CreatedClient> ClientAdmin::ensure_dev_client() {
  if (clients_.count() != 0) return std::nullopt;
  return create("dev", {std::string(kScopeMarketRead), std::string(kScopeAdmin)});
}

}  // namespace mdp::auth
