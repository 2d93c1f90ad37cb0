// api_clients through ApiClientRepository and ClientAdmin, on SQLite and PostgreSQL:
// round trips, revocation, unique names, and RELIABILITY.md J15 — the stored form is an
// argon2id PHC string and a dump of the database never contains a secret.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <sstream>

#include "ApiClientRepository.hpp"
#include "ClientAdmin.hpp"
#include "DatabaseError.hpp"
#include "Migrator.hpp"
#include "SecretHasher.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::auth {
namespace {

using storage::Dialect;

class ClientStoreTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<storage::test::TestDatabase>(GetParam());
    storage::Migrator(database_->db(), storage::test::schema_root()).migrate();
  }
  storage::Database& db() { return database_->db(); }

  // Every byte the database holds: pg_dump of the test schema, or the SQLite files.
  std::string dump() {
    if (GetParam() == Dialect::SQLite) {
      std::string bytes;
      for (const char* suffix : {"", "-wal", "-journal"}) {
        std::ifstream file(database_->url().sqlite_path + suffix, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
      }
      EXPECT_FALSE(bytes.empty());
      return bytes;
    }
    const std::string command = "PGCONNECT_TIMEOUT=10 pg_dump --data-only --schema=" + database_->schema() + " '" +
                                storage::test::test_database_url() + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    std::string out;
    char buffer[4096];
    while (pipe && std::fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
    EXPECT_NE(out.find("api_clients"), std::string::npos) << out.substr(0, 500);
    return out;
  }

  std::unique_ptr<storage::test::TestDatabase> database_;
};

TEST_P(ClientStoreTest, RepositoryRoundTripsAndRevokes) {
  storage::ApiClientRepository clients(db());
  EXPECT_EQ(clients.count(), 0U);
  storage::ApiClient a{"mdp_a", "alpha", "$argon2id$x", "market:read", 1000, std::nullopt};
  storage::ApiClient b{"mdp_b", "beta", "$argon2id$y", "market:read admin", 2000, std::nullopt};
  clients.insert(b);
  clients.insert(a);
  EXPECT_EQ(clients.count(), 2U);

  const auto found = clients.find_by_id("mdp_b");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "beta");
  EXPECT_EQ(found->secret_hash, "$argon2id$y");
  EXPECT_EQ(found->scopes, "market:read admin");
  EXPECT_EQ(found->created_at_ms, 2000);
  EXPECT_TRUE(found->active());
  EXPECT_EQ(clients.find_by_name("alpha")->id, "mdp_a");
  EXPECT_FALSE(clients.find_by_id("mdp_c"));
  EXPECT_FALSE(clients.find_by_id("' OR '1'='1"));

  const auto listed = clients.list();
  ASSERT_EQ(listed.size(), 2U);
  EXPECT_EQ(listed[0].name, "alpha");  // by name

  EXPECT_TRUE(clients.revoke("alpha", 5000));
  EXPECT_FALSE(clients.revoke("alpha", 6000));  // already revoked
  EXPECT_FALSE(clients.revoke("nobody", 6000));
  EXPECT_EQ(clients.find_by_id("mdp_a")->revoked_at_ms, 5000);
  EXPECT_FALSE(clients.find_by_id("mdp_a")->active());

  try {
    clients.insert(storage::ApiClient{"mdp_z", "alpha", "h", "admin", 1, std::nullopt});
    FAIL() << "a duplicate name was stored";
  } catch (const storage::DatabaseError& error) {
    EXPECT_TRUE(error.is_constraint_violation());
  }
}

TEST_P(ClientStoreTest, AdminStoresOnlyAnArgon2idHashAndTheDumpHasNoSecret) {
  auto hasher = std::make_shared<const SecretHasher>();  // production parameters
  ClientAdmin admin(db(), hasher, [] { return std::int64_t{1'700'000'000'000}; });
  const CreatedClient created = admin.create("research", {"market:read", "admin"});
  EXPECT_EQ(created.scopes, (std::vector<std::string>{"market:read", "admin"}));

  const auto row = storage::ApiClientRepository(db()).find_by_id(created.id);
  ASSERT_TRUE(row);
  EXPECT_TRUE(std::regex_match(row->secret_hash, std::regex(R"(\$argon2id\$v=19\$m=19456,t=2,p=1\$.+\$.+)")))
      << row->secret_hash;
  EXPECT_TRUE(hasher->verify(created.secret, row->secret_hash));
  EXPECT_EQ(row->scopes, "market:read admin");
  EXPECT_EQ(row->created_at_ms, 1'700'000'000'000);

  const std::string everything = dump();
  EXPECT_NE(everything.find(created.id), std::string::npos);  // the dump did see the row
  EXPECT_EQ(everything.find(created.secret), std::string::npos);
  EXPECT_EQ(everything.find(created.secret.substr(0, 16)), std::string::npos);
}

TEST_P(ClientStoreTest, AdminRefusesBadNamesScopesAndDuplicates) {
  ClientAdmin admin(db(), std::make_shared<const SecretHasher>(Argon2Params{64, 1, 1}));
  admin.create("one", {"market:read"});
  EXPECT_THROW(admin.create("one", {"market:read"}), ClientAdminError);
  EXPECT_THROW(admin.create("bad name", {"market:read"}), ClientAdminError);
  EXPECT_THROW(admin.create("two", {}), ClientAdminError);
  EXPECT_THROW(admin.create("two", {"write"}), ClientAdminError);
  EXPECT_EQ(admin.list().size(), 1U);
  EXPECT_TRUE(admin.revoke("one"));
  EXPECT_THROW(admin.create("one", {"market:read"}), ClientAdminError);  // names are never reused
}

TEST_P(ClientStoreTest, DevClientOnlyOnAnEmptyStore) {
  ClientAdmin admin(db(), std::make_shared<const SecretHasher>(Argon2Params{64, 1, 1}));
  const auto dev = admin.ensure_dev_client();
  ASSERT_TRUE(dev);
  EXPECT_EQ(dev->name, "dev");
  EXPECT_EQ(dev->scopes, (std::vector<std::string>{"market:read", "admin"}));
  EXPECT_FALSE(admin.ensure_dev_client());
  EXPECT_EQ(admin.list().size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(BothStores, ClientStoreTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param) {
                           return storage::test::dialect_name(param.param);
                         });

}  // namespace
}  // namespace mdp::auth
