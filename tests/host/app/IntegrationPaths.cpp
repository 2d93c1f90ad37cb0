#include "IntegrationPaths.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mdp::app::integration {
namespace {

std::filesystem::path from_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(std::string(name) + " is not set: run the tests through ctest");
  }
  return std::filesystem::path(value);
}

}  // namespace

std::filesystem::path source_dir() { return from_env("MDP_SOURCE_DIR"); }
std::filesystem::path binary_dir() { return from_env("MDP_BINARY_DIR"); }
std::filesystem::path plugin_build_dir() { return from_env("MDP_PLUGIN_BUILD_DIR"); }
std::filesystem::path host_binary() { return binary_dir() / "bin" / "mdp-host"; }
std::filesystem::path fixture_plugin_dir() { return binary_dir() / "test-plugins"; }
std::filesystem::path schema_dir() { return source_dir() / "schema"; }

std::filesystem::path own_fixture(const std::string& exchange, const std::string& file) {
  return source_dir() / "tests" / "fixtures" / exchange / file;
}

std::optional<std::filesystem::path> shared_fixture_dir(const std::string& exchange) {
  const std::filesystem::path dir = source_dir() / ".." / "shared" / "fixtures" / exchange;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return std::filesystem::weakly_canonical(dir, ec);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string test_database_url() {
  const char* url = std::getenv("MDP_TEST_DATABASE_URL");
  return url != nullptr && *url != '\0' ? url : "postgresql://mdp:mdp@127.0.0.1:5432/mdp_test";
}

}  // namespace mdp::app::integration
