// Where the app integration tests find what the build produced and what the repository holds.
// Every path comes from the environment mdp_add_test sets (MDP_SOURCE_DIR, MDP_BINARY_DIR,
// MDP_PLUGIN_BUILD_DIR); a missing variable is a test setup error, never a silent default.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace mdp::app::integration {

std::filesystem::path source_dir();        // $MDP_SOURCE_DIR
std::filesystem::path binary_dir();        // $MDP_BINARY_DIR
std::filesystem::path plugin_build_dir();  // $MDP_PLUGIN_BUILD_DIR: mdp-<id>.so of the real plugins
std::filesystem::path host_binary();       // $MDP_BINARY_DIR/bin/mdp-host
std::filesystem::path fixture_plugin_dir();  // $MDP_BINARY_DIR/test-plugins (broken-plugin fixtures)
std::filesystem::path schema_dir();        // $MDP_SOURCE_DIR/schema
// tests/fixtures/<exchange>/<file>: the plugin engineers' hand-made bodies.
std::filesystem::path own_fixture(const std::string& exchange, const std::string& file);
// $MDP_SOURCE_DIR/../shared/fixtures/<exchange> (recorded real responses), when present.
std::optional<std::filesystem::path> shared_fixture_dir(const std::string& exchange);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& text);

// PostgreSQL for the integration tests: MDP_TEST_DATABASE_URL or the documented default.
std::string test_database_url();

}  // namespace mdp::app::integration
