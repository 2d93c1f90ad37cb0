// Operator actions on API clients, shared by the `mdp-host clients …` commands and the
// --dev bootstrap: create (the secret is generated here and returned once, only its hash
// is stored), list, revoke.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "ApiClientRepository.hpp"
#include "AuthClock.hpp"
#include "SecretHasher.hpp"

namespace mdp::auth {

// A request the operator can fix: bad name, unknown scope, name taken.
class ClientAdminError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CreatedClient {
  std::string id;
  std::string name;
  std::string secret;  // plaintext: show it once, never store or log it
  std::vector<std::string> scopes;
};

class ClientAdmin {
 public:
  ClientAdmin(storage::Database& db, std::shared_ptr<const SecretHasher> hasher, AuthClock clock = system_now_ms);

  // Throws ClientAdminError (invalid name, no/unknown scope, name exists) or
  // storage::DatabaseError.
  CreatedClient create(const std::string& name, const std::vector<std::string>& scopes);
  std::vector<storage::ApiClient> list();
  // False when no active client has this name.
  bool revoke(const std::string& name);
  // --dev: when the store has no client at all, creates "dev" with market:read and admin.
  std::optional<CreatedClient> ensure_dev_client();

 private:
  storage::ApiClientRepository clients_;
  std::shared_ptr<const SecretHasher> hasher_;
  AuthClock clock_;
};

}  // namespace mdp::auth
