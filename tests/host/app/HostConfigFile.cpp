#include "HostConfigFile.hpp"

#include <stdexcept>

#include "IntegrationPaths.hpp"

namespace mdp::app::integration {

HostSettings base_host_settings(const std::filesystem::path& work_dir) {
  return {
      {"database.url", "sqlite:" + (work_dir / "mdp.db").string()},
      {"database.schema_dir", schema_dir().string()},
      {"server.host", "127.0.0.1"},
      {"server.port", "0"},
      {"server.threads", "4"},
      {"plugins.dir", (work_dir / "plugins").string()},
      {"plugins.enabled", ""},
  };
}

std::filesystem::path write_host_config(const std::filesystem::path& path, const HostSettings& settings) {
  std::string text = "# written by the app integration tests\n";
  for (const auto& [key, value] : settings) {
    // Java-properties syntax: a backslash or a line break would change the meaning.
    if (value.find_first_of("\\\n\r") != std::string::npos) {
      throw std::invalid_argument("config value for " + key + " needs escaping; the tests do not write such values");
    }
    text += key + " = " + value + "\n";
  }
  write_file(path, text);
  return path;
}

}  // namespace mdp::app::integration
