#include <gtest/gtest.h>

#include <filesystem>

#include "DatabaseError.hpp"
#include "DatabaseUrl.hpp"

using namespace mdp::storage;

TEST(DatabaseUrl, ParsesFullPostgresqlUrl) {
  const DatabaseUrl url = parse_database_url(
      "postgresql://mdp:s3cr%40t@db.example:6543/market?sslmode=require&connect_timeout=3&"
      "application_name=mdp-host&schema=tenant_1&statement_timeout_ms=5000");
  EXPECT_EQ(url.dialect, Dialect::PostgreSQL);
  EXPECT_EQ(url.host, "db.example");
  EXPECT_EQ(url.port, 6543);
  EXPECT_EQ(url.database, "market");
  EXPECT_EQ(url.user, "mdp");
  EXPECT_EQ(url.password, "s3cr@t");
  EXPECT_EQ(url.sslmode.value(), "require");
  EXPECT_EQ(url.connect_timeout_s, 3);
  EXPECT_EQ(url.schema.value(), "tenant_1");
  EXPECT_EQ(url.statement_timeout_ms.value(), 5000);
  EXPECT_EQ(url.connector_string(),
            "host=db.example port=6543 dbname=market user=mdp password=s3cr@t connect_timeout=3 "
            "sslmode=require application_name=mdp-host");
}

TEST(DatabaseUrl, DefaultsPortAndTimeout) {
  const DatabaseUrl url = parse_database_url("postgres://mdp:mdp@127.0.0.1/mdp_test");
  EXPECT_EQ(url.port, 5432);
  EXPECT_EQ(url.connector_string(),
            "host=127.0.0.1 port=5432 dbname=mdp_test user=mdp password=mdp connect_timeout=5");
}

TEST(DatabaseUrl, AcceptsIpv6AndNoPassword) {
  const DatabaseUrl url = parse_database_url("postgresql://mdp@[::1]:5433/db");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 5433);
  EXPECT_TRUE(url.password.empty());
  EXPECT_EQ(url.connector_string().find("password"), std::string::npos);
}

TEST(DatabaseUrl, RedactedHidesPassword) {
  const DatabaseUrl url = parse_database_url("postgresql://mdp:topsecret@h:5432/db?schema=s");
  EXPECT_EQ(url.redacted(), "postgresql://mdp:***@h:5432/db?schema=s");
  EXPECT_EQ(url.redacted().find("topsecret"), std::string::npos);
}

TEST(DatabaseUrl, RejectsBadUrlsWithClearMessages) {
  struct Case {
    const char* url;
    const char* expect;
  };
  const Case cases[] = {
      {"", "empty"},
      {"mysql://u:p@h/db", "unsupported scheme"},
      {"postgresql://u:p@h:5432", "missing database name"},
      {"postgresql://u:p@h:5432/", "missing database name"},
      {"postgresql://:p@h/db", "missing user name"},
      {"postgresql://u:p@/db", "missing host"},
      {"postgresql://u:p@h:0/db", "port"},
      {"postgresql://u:p@h:99999/db", "port"},
      {"postgresql://u:p@h:54x/db", "port"},
      {"postgresql://u:p@h:/db", "port"},
      {"postgresql://u:p%2@h/db", "percent-encoding"},
      {"postgresql://u:p@h/db?bogus=1", "unknown query parameter 'bogus'"},
      {"postgresql://u:p@h/db?sslmode=maybe", "sslmode"},
      {"postgresql://u:p@h/db?connect_timeout=0", "connect_timeout"},
      {"postgresql://u:p@h/db?schema=Bad-Name", "schema"},
      {"postgresql://u:p@h/db?statement_timeout_ms=-1", "statement_timeout_ms"},
      {"postgresql://u:p@h/db?noequals", "without '='"},
      {"postgresql://u:p@[::1/db", "IPv6"},
      {"postgresql://u:p@h/db#frag", "fragments"},
      {"sqlite:", "needs a path"},
      {"sqlite:///abs/path.db", "no '//'"},
      {"sqlite:x.db?mode=ro", "no parameters"},
  };
  for (const auto& c : cases) {
    try {
      parse_database_url(c.url);
      ADD_FAILURE() << "accepted: " << c.url;
    } catch (const DatabaseConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos) << c.url << " -> " << e.what();
    }
  }
}

TEST(DatabaseUrl, RejectsSpacesAndQuotesBecausePocoSplitsOnSpaces) {
  for (const char* url : {"postgresql://u:zq%20zq@h/db", "postgresql://u:zq'zq@h/db", "postgresql://u:zq%22zq@h/db",
                          "postgresql://u:zq%5Czq@h/db", "postgresql://u%20x:zq@h/db", "postgresql://u:zq@h/d%20b",
                          "postgresql://u:zq%00@h/db", "postgresql://u:zq@h/db?application_name=a%20b"}) {
    try {
      parse_database_url(url);
      ADD_FAILURE() << "accepted: " << url;
    } catch (const DatabaseConfigError& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("space, quote"), std::string::npos) << message;
      EXPECT_EQ(message.find("zq"), std::string::npos) << "password leaked: " << message;
    }
  }
}

TEST(DatabaseUrl, ParsesSqliteForms) {
  EXPECT_EQ(parse_database_url("sqlite:var/mdp.db").sqlite_path, "var/mdp.db");
  EXPECT_EQ(parse_database_url("sqlite:/tmp/x.db").sqlite_path, "/tmp/x.db");
  const DatabaseUrl memory = parse_database_url("sqlite::memory:");
  EXPECT_TRUE(memory.in_memory());
  EXPECT_EQ(memory.connector_string(), ":memory:");
  EXPECT_EQ(memory.redacted(), "sqlite::memory:");
}

TEST(DatabaseUrl, DefaultIsSqliteUnderWorkingDirAndCreatesFolder) {
  const auto dir = std::filesystem::temp_directory_path() / ("mdp-url-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const DatabaseUrl url = default_database_url(dir);
  EXPECT_EQ(url.dialect, Dialect::SQLite);
  EXPECT_EQ(url.sqlite_path, (dir / "var" / "mdp.db").string());
  EXPECT_TRUE(std::filesystem::is_directory(dir / "var"));
  std::filesystem::remove_all(dir);
}
