#include "ApiClientRepository.hpp"

#include "Sql.hpp"

namespace mdp::storage {
namespace {

constexpr const char* kColumns = "id, name, secret_hash, scopes, created_at, revoked_at";

ApiClient read_client(const sql::Row& row) {
  ApiClient client;
  client.id = row.text(0);
  client.name = row.text(1);
  client.secret_hash = row.text(2);
  client.scopes = row.text(3);
  client.created_at_ms = row.int64(4);
  client.revoked_at_ms = row.opt_int64(5);
  return client;
}

std::optional<ApiClient> find_one(Database& db, const char* context, const std::string& column,
                                  const std::string& value) {
  return db.with_lease(
      [&](Lease& lease) -> std::optional<ApiClient> {
        // `column` is one of two fixed names chosen below, never input.
        sql::Rows rows = sql::Query(lease, context, std::string("SELECT ") + kColumns + " FROM api_clients WHERE " + column + " = ?")
                             .text(column, value)
                             .rows();
        if (rows.empty()) return std::nullopt;
        return read_client(rows[0]);
      },
      true);
}

}  // namespace

void ApiClientRepository::insert(const ApiClient& client) {
  Lease lease = db_.acquire();
  sql::Query(lease, "api_clients.insert",
             "INSERT INTO api_clients (id, name, secret_hash, scopes, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)")
      .text("id", client.id)
      .text("name", client.name)
      .text("secret_hash", client.secret_hash)
      .text("scopes", client.scopes)
      .int64(client.created_at_ms)
      .opt_int64(client.revoked_at_ms)
      .execute();
}

std::optional<ApiClient> ApiClientRepository::find_by_id(const std::string& id) {
  return find_one(db_, "api_clients.find_by_id", "id", id);
}

std::optional<ApiClient> ApiClientRepository::find_by_name(const std::string& name) {
  return find_one(db_, "api_clients.find_by_name", "name", name);
}

std::vector<ApiClient> ApiClientRepository::list() {
  return db_.with_lease(
      [&](Lease& lease) {
        sql::Rows rows =
            sql::Query(lease, "api_clients.list", std::string("SELECT ") + kColumns + " FROM api_clients ORDER BY name").rows();
        std::vector<ApiClient> out;
        out.reserve(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) out.push_back(read_client(rows[i]));
        return out;
      },
      true);
}

bool ApiClientRepository::revoke(const std::string& name, std::int64_t now_ms) {
  Lease lease = db_.acquire();
  return sql::Query(lease, "api_clients.revoke",
                    "UPDATE api_clients SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
             .int64(now_ms)
             .text("name", name)
             .execute() == 1;
}

std::size_t ApiClientRepository::count() {
  return db_.with_lease(
      [&](Lease& lease) {
        sql::Rows rows = sql::Query(lease, "api_clients.count", "SELECT COUNT(*) FROM api_clients").rows();
        return static_cast<std::size_t>(rows.empty() ? 0 : rows[0].int64(0));
      },
      true);
}

}  // namespace mdp::storage
