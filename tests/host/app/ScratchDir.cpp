#include "ScratchDir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <stdexcept>
#include <system_error>

namespace mdp::app::integration {
namespace {

void set_mode(const std::filesystem::path& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod failed: " + path.string());
}

}  // namespace

ScratchDir::ScratchDir(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
  set_mode(path_, 0755);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path ScratchDir::make_dir(const std::string& name) const {
  const std::filesystem::path dir = path_ / name;
  std::filesystem::create_directories(dir);
  set_mode(dir, 0755);
  return dir;
}

std::filesystem::path ScratchDir::install_plugin(const std::filesystem::path& from, const std::filesystem::path& dir,
                                                 const std::string& id) {
  const std::filesystem::path target = dir / ("mdp-" + id + ".so");
  std::filesystem::copy_file(from, target, std::filesystem::copy_options::overwrite_existing);
  set_mode(target, 0755);
  return target;
}

}  // namespace mdp::app::integration
