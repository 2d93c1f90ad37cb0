// A fresh directory under the system temp dir (mode 0755, owned by the test process), removed
// with everything in it when the object goes, whether the test passed or not.
#pragma once

#include <filesystem>
#include <string>

namespace mdp::app::integration {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix = "mdp-app-test");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  // A subdirectory with mode 0755 (plugin directories must not be group/world-writable).
  std::filesystem::path make_dir(const std::string& name) const;
  // Copies `from` to <dir>/mdp-<id>.so with `mode` (0755: owner-writable only).
  static std::filesystem::path install_plugin(const std::filesystem::path& from, const std::filesystem::path& dir,
                                              const std::string& id);

 private:
  std::filesystem::path path_;
};

}  // namespace mdp::app::integration
