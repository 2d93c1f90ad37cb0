// Writes the `key = value` properties file mdp-host reads with --config.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace mdp::app::integration {

using HostSettings = std::map<std::string, std::string>;

// Settings every process test starts from: SQLite under `work_dir`, the repository's schema,
// loopback on a port the kernel picks (read back from the "listening on" log line), few
// threads, and no plugins unless the test adds them.
HostSettings base_host_settings(const std::filesystem::path& work_dir);

// Writes `settings` to `path`, one "key = value" line each; returns `path`.
std::filesystem::path write_host_config(const std::filesystem::path& path, const HostSettings& settings);

}  // namespace mdp::app::integration
