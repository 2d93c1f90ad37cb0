#include "ClientsCommand.hpp"

#include <iomanip>

#include "ClientAdmin.hpp"
#include "ClientCredentials.hpp"
#include "Database.hpp"
#include "DatabaseUrl.hpp"
#include "Migrator.hpp"
#include "SecretHasher.hpp"
#include "Time.hpp"

namespace mdp::app {
namespace {

constexpr int kExitUsage = 64;
constexpr int kExitDataError = 65;
constexpr int kExitUnavailable = 69;
constexpr int kExitSoftware = 70;
constexpr int kExitConfig = 78;

constexpr const char* kUsage =
    "usage: mdp-host [--config FILE] clients add NAME --scopes market:read[,admin]\n"
    "       mdp-host [--config FILE] clients list\n"
    "       mdp-host [--config FILE] clients revoke NAME\n";

std::string token_url(const AppConfig& config) {
  const std::string host = config.server_host == "0.0.0.0" ? "127.0.0.1" : config.server_host;
  const std::string port = config.server_port == 0 ? "<port>" : std::to_string(config.server_port);
  return "http://" + host + ":" + port + "/v1/auth/token";
}

void print_created(const auth::CreatedClient& client, const AppConfig& config, std::ostream& out) {
  out << "client '" << client.name << "' created with scopes: " << auth::join_scopes(client.scopes) << "\n"
      << "  client_id:     " << client.id << "\n"
      << "  client_secret: " << client.secret << "\n"
      << "The secret is shown only now and cannot be recovered; store it safely.\n"
      << "Get an access token with:\n"
      << "  curl -s -u '" << client.id << ":" << client.secret << "' -d grant_type=client_credentials "
      << token_url(config) << "\n";
}

std::filesystem::path schema_dir(const AppConfig& config, const std::filesystem::path& exe_dir) {
  if (config.schema_dir.empty()) return storage::default_schema_dir(exe_dir);
  return std::filesystem::absolute(config.schema_dir).lexically_normal();
}

int list_clients(auth::ClientAdmin& admin, std::ostream& out) {
  const std::vector<storage::ApiClient> clients = admin.list();
  if (clients.empty()) {
    out << "no clients; create one with: mdp-host clients add NAME --scopes market:read\n";
    return 0;
  }
  out << std::left << std::setw(24) << "NAME" << std::setw(22) << "CLIENT_ID" << std::setw(20) << "SCOPES"
      << std::setw(26) << "CREATED" << "REVOKED\n";
  for (const auto& client : clients) {
    out << std::setw(24) << client.name << std::setw(22) << client.id << std::setw(20) << client.scopes << std::setw(26)
        << domain::format_iso8601(client.created_at_ms)
        << (client.revoked_at_ms ? domain::format_iso8601(*client.revoked_at_ms) : std::string("-")) << "\n";
  }
  return 0;
}

}  // namespace

int run_clients_command(const AppConfig& config, const std::filesystem::path& exe_dir,
                        const std::vector<std::string>& args, const std::string& scopes, std::ostream& out,
                        std::ostream& err) {
  const std::string action = args.size() > 1 ? args[1] : "";
  const bool add = action == "add" && args.size() == 3;
  const bool list = action == "list" && args.size() == 2;
  const bool revoke = action == "revoke" && args.size() == 3;
  if (!add && !list && !revoke) {
    err << kUsage;
    return kExitUsage;
  }
  if (!add && !scopes.empty()) {
    err << "mdp-host: --scopes applies to 'clients add' only\n" << kUsage;
    return kExitUsage;
  }
  std::vector<std::string> scope_list;
  if (add) {
    try {
      scope_list = auth::parse_scope_option(scopes.empty() ? std::string(auth::kScopeMarketRead) : scopes);
    } catch (const std::invalid_argument& e) {
      err << "mdp-host: --scopes: " << e.what() << "\n";
      return kExitUsage;
    }
  }

  try {
    storage::Database db(storage::parse_database_url(config.database_url));
    storage::Migrator(db, schema_dir(config, exe_dir)).migrate();
    auto hasher = std::make_shared<const auth::SecretHasher>();
    auth::ClientAdmin admin(db, hasher);
    if (list) return list_clients(admin, out);
    if (revoke) {
      if (!admin.revoke(args[2])) {
        err << "mdp-host: no active client named '" << args[2] << "'\n";
        return kExitDataError;
      }
      out << "client '" << args[2] << "' revoked; its tokens stop working within " << config.auth_revocation_check_s
          << " s\n";
      return 0;
    }
    print_created(admin.create(args[2], scope_list), config, out);
    return 0;
  } catch (const auth::ClientAdminError& e) {
    err << "mdp-host: " << e.what() << "\n";
    return kExitDataError;
  } catch (const storage::DatabaseUnavailable& e) {
    err << "mdp-host: database unreachable: " << e.what() << "\n";
    return kExitUnavailable;
  } catch (const storage::DatabaseConfigError& e) {
    err << "mdp-host: database.url: " << e.what() << "\n";
    return kExitConfig;
  } catch (const storage::MigrationError& e) {
    err << "mdp-host: migrations: " << e.what() << "\n";
    return kExitSoftware;
  } catch (const std::exception& e) {
    err << "mdp-host: " << e.what() << "\n";
    return kExitSoftware;
  }
}

bool announce_dev_client(storage::Database& db, std::shared_ptr<const auth::SecretHasher> hasher,
                         const AppConfig& config, std::ostream& out) {
  auth::ClientAdmin admin(db, std::move(hasher));
  const std::optional<auth::CreatedClient> created = admin.ensure_dev_client();
  if (!created) return false;
  out << "\n--dev: first start without API clients, so one was created for you.\n";
  print_created(*created, config, out);
  out << std::endl;
  return true;
}

}  // namespace mdp::app
