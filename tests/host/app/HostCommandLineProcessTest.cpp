// mdp-host's command line and start-up refusals, as a process: --help, and a missing or short
// JWT secret outside --dev (exit status 78 with a message naming auth.jwt_secret).
#include <gtest/gtest.h>

#include <string>

#include "HostConfigFile.hpp"
#include "HostProcess.hpp"
#include "IntegrationPaths.hpp"
#include "ScratchDir.hpp"

namespace mdp::app::integration {
namespace {

constexpr int kExitConfig = 78;  // docs/operations.md: a configuration error

class HostCommandLine : public ::testing::Test {
 protected:
  void SetUp() override { work_.make_dir("plugins"); }

  std::filesystem::path config_with(const HostSettings& extra) {
    HostSettings settings = base_host_settings(work_.path());
    for (const auto& [key, value] : extra) settings[key] = value;
    return write_host_config(work_ / "mdp.properties", settings);
  }

  void expect_config_refusal(const CompletedRun& run, const std::string& message) {
    ASSERT_TRUE(run.status.has_value()) << "the host did not refuse to start:\n" << run.stderr_text;
    EXPECT_TRUE(run.status->exited) << describe(*run.status);
    EXPECT_EQ(run.status->code, kExitConfig) << run.stderr_text;
    EXPECT_NE(run.stderr_text.find("mdp-host: configuration error: " + message), std::string::npos) << run.stderr_text;
    EXPECT_EQ(run.stderr_text.find("listening on"), std::string::npos);
    EXPECT_FALSE(std::filesystem::exists(work_ / "mdp.db")) << "refused before touching the database";
  }

  ScratchDir work_{"mdp-host-cli"};
};

TEST_F(HostCommandLine, HelpListsTheOptionsAndExitsZero) {
  const CompletedRun run = run_to_completion(host_binary(), {"--help"}, work_.path());
  ASSERT_TRUE(run.status.has_value());
  EXPECT_TRUE(run.status->exited && run.status->code == 0) << describe(*run.status) << run.stderr_text;
  for (const char* option : {"--config", "--role", "--dev", "--help"}) {
    EXPECT_NE(run.stdout_text.find(option), std::string::npos) << option << " missing from:\n" << run.stdout_text;
  }
  EXPECT_NE(run.stdout_text.find("auth.jwt_secret"), std::string::npos) << "the keys are listed too";
  EXPECT_TRUE(std::filesystem::is_empty(work_ / "plugins"));
  EXPECT_FALSE(std::filesystem::exists(work_ / "var")) << "--help creates no database";
}

TEST_F(HostCommandLine, MissingJwtSecretWithoutDevIsAConfigurationError) {
  const CompletedRun run = run_to_completion(host_binary(), {"--config", config_with({}).string()}, work_.path());
  expect_config_refusal(run, "auth.jwt_secret: missing");
}

TEST_F(HostCommandLine, ShortJwtSecretWithoutDevIsAConfigurationError) {
  {
    SCOPED_TRACE("from the file");
    const auto config = config_with({{"auth.jwt_secret", "only-twenty-one-bytes"}});
    expect_config_refusal(run_to_completion(host_binary(), {"--config", config.string()}, work_.path()),
                          "auth.jwt_secret: too short (21 bytes)");
  }
  {
    SCOPED_TRACE("from MDP_JWT_SECRET");
    const auto config = config_with({});
    expect_config_refusal(run_to_completion(host_binary(), {"--config", config.string()}, work_.path(),
                                            {{"MDP_JWT_SECRET", "short"}}),
                          "auth.jwt_secret: too short (5 bytes)");
  }
}

}  // namespace
}  // namespace mdp::app::integration
