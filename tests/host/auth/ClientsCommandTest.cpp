// `mdp-host clients add|list|revoke` on SQLite and PostgreSQL: through run_clients_command
// (every branch and exit status) and once through the real binary (the dispatch in main).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <sstream>

#include "ApiClientRepository.hpp"
#include "AppConfig.hpp"
#include "ClientsCommand.hpp"
#include "Migrator.hpp"
#include "SecretHasher.hpp"
#include "StorageTestSupport.hpp"

namespace mdp::app {
namespace {

using storage::Dialect;

struct CommandRun {
  int status;
  std::string out;
  std::string err;
};

std::string field(const std::string& text, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(text, match, std::regex(name + ": +(\\S+)"))) return {};
  return match[1];
}

class ClientsCommandTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override {
    database_ = std::make_unique<storage::test::TestDatabase>(GetParam());
    if (GetParam() == Dialect::SQLite) {
      config_.database_url = "sqlite:" + database_->url().sqlite_path;
    } else {
      const std::string base = storage::test::test_database_url();
      config_.database_url = base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + database_->schema();
    }
    config_.schema_dir = storage::test::schema_root().string();
    config_.server_port = 8080;
  }

  CommandRun run(const std::vector<std::string>& args, const std::string& scopes = {}) {
    std::ostringstream out;
    std::ostringstream err;
    const int status = run_clients_command(config_, {}, args, scopes, out, err);
    return {status, out.str(), err.str()};
  }

  std::unique_ptr<storage::test::TestDatabase> database_;
  AppConfig config_;
};

TEST_P(ClientsCommandTest, AddPrintsTheSecretOnceAndStoresOnlyItsHash) {
  const CommandRun added = run({"clients", "add", "research"}, "market:read,admin");
  ASSERT_EQ(added.status, 0) << added.err;
  const std::string id = field(added.out, "client_id");
  const std::string secret = field(added.out, "client_secret");
  EXPECT_TRUE(std::regex_match(id, std::regex("mdp_[A-Za-z0-9_-]{16}"))) << added.out;
  EXPECT_TRUE(std::regex_match(secret, std::regex("[A-Za-z0-9_-]{43}"))) << added.out;
  EXPECT_NE(added.out.find("curl -s -u '" + id + ":" + secret + "' -d grant_type=client_credentials "
                           "http://127.0.0.1:8080/v1/auth/token"),
            std::string::npos)
      << added.out;

  const auto row = storage::ApiClientRepository(database_->db()).find_by_name("research");
  ASSERT_TRUE(row);
  EXPECT_EQ(row->id, id);
  EXPECT_EQ(row->scopes, "market:read admin");
  EXPECT_TRUE(auth::SecretHasher(auth::Argon2Params{64, 1, 1}).verify(secret, row->secret_hash));

  const CommandRun listed = run({"clients", "list"});
  ASSERT_EQ(listed.status, 0);
  EXPECT_NE(listed.out.find("research"), std::string::npos);
  EXPECT_NE(listed.out.find(id), std::string::npos);
  EXPECT_NE(listed.out.find("market:read admin"), std::string::npos);
  EXPECT_EQ(listed.out.find(secret), std::string::npos);
  EXPECT_EQ(listed.out.find("argon2"), std::string::npos);
}

TEST_P(ClientsCommandTest, RevokeAndTheErrorsAnOperatorCanMake) {
  ASSERT_EQ(run({"clients", "add", "bot"}).status, 0);  // default scope market:read
  EXPECT_EQ(storage::ApiClientRepository(database_->db()).find_by_name("bot")->scopes, "market:read");
  const CommandRun revoked = run({"clients", "revoke", "bot"});
  EXPECT_EQ(revoked.status, 0);
  EXPECT_NE(revoked.out.find("revoked"), std::string::npos);
  EXPECT_TRUE(storage::ApiClientRepository(database_->db()).find_by_name("bot")->revoked_at_ms);
  EXPECT_NE(run({"clients", "list"}).out.find("Z  "), std::string::npos);  // a revoked time is shown

  EXPECT_EQ(run({"clients", "revoke", "bot"}).status, 65);
  EXPECT_EQ(run({"clients", "add", "bot"}).status, 65);  // names are not reused
  EXPECT_EQ(run({"clients", "add", "bad name"}).status, 65);
  EXPECT_EQ(run({"clients", "add", "x"}, "market:write").status, 64);
  EXPECT_EQ(run({"clients", "list"}, "admin").status, 64);
  EXPECT_EQ(run({"clients"}).status, 64);
  EXPECT_EQ(run({"clients", "remove", "bot"}).status, 64);
  EXPECT_EQ(run({"clients", "add"}).status, 64);
  const CommandRun unreachable = [&] {
    config_.database_url = "postgresql://mdp:mdp@127.0.0.1:1/none?connect_timeout=2";
    return run({"clients", "list"});
  }();
  EXPECT_EQ(unreachable.status, 69) << unreachable.err;
  EXPECT_EQ(unreachable.err.find(":mdp@"), std::string::npos);  // no password in the message
}

TEST_P(ClientsCommandTest, TheBinaryDispatchesClientsCommands) {
  const std::string binary = std::string(std::getenv("MDP_BINARY_DIR")) + "/bin/mdp-host";
  const std::string env = "MDP_DATABASE_URL='" + config_.database_url + "' MDP_DATABASE_SCHEMA_DIR='" +
                          config_.schema_dir + "' MDP_JWT_SECRET= ";
  const auto shell = [&](const std::string& args) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen((env + binary + " " + args + " 2>&1").c_str(), "r"), pclose);
    std::string out;
    char buffer[1024];
    while (std::fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
    const int status = pclose(pipe.release());
    return std::make_pair(WEXITSTATUS(status), out);
  };
  const auto added = shell("clients add from-cli --scopes admin");
  ASSERT_EQ(added.first, 0) << added.second;
  const std::string secret = field(added.second, "client_secret");
  ASSERT_FALSE(secret.empty()) << added.second;
  const auto listed = shell("clients list");
  EXPECT_EQ(listed.first, 0);
  EXPECT_NE(listed.second.find("from-cli"), std::string::npos);
  EXPECT_EQ(listed.second.find(secret), std::string::npos);
  EXPECT_EQ(shell("clients frobnicate").first, 64);
}

INSTANTIATE_TEST_SUITE_P(BothStores, ClientsCommandTest, ::testing::Values(Dialect::SQLite, Dialect::PostgreSQL),
                         [](const ::testing::TestParamInfo<Dialect>& param) {
                           return storage::test::dialect_name(param.param);
                         });

}  // namespace
}  // namespace mdp::app
