// `mdp-host clients …`: the operator's commands for API clients, run against the database
// the configuration names (migrated first), then exit.
//   clients add NAME --scopes market:read[,admin]   prints the client id and secret once
//   clients list                                    name, id, scopes, created, revoked
//   clients revoke NAME                             its tokens stop within auth.revocation_check_s
// Secrets and hashes are never listed. Plus the --dev bootstrap's announcement.
#pragma once

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "AppConfig.hpp"

namespace mdp::storage {
class Database;
}
namespace mdp::auth {
class SecretHasher;
}

namespace mdp::app {

// `args` starts with "clients". Returns the process exit status (0, or a sysexits code:
// 64 usage, 65 bad input, 69 database unreachable, 70 internal, 78 configuration).
int run_clients_command(const AppConfig& config, const std::filesystem::path& exe_dir,
                        const std::vector<std::string>& args, const std::string& scopes, std::ostream& out,
                        std::ostream& err);

// --dev: on a database without any client, creates "dev" (market:read, admin) and prints
// its id and secret once with a ready-to-paste curl command. Returns true when it did.
bool announce_dev_client(storage::Database& db, std::shared_ptr<const auth::SecretHasher> hasher,
                         const AppConfig& config, std::ostream& out);

}  // namespace mdp::app
