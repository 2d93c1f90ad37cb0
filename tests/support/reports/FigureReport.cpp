#include "FigureReport.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace mdp::test {
namespace {

// Holds an exclusive flock for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ < 0 || ::flock(fd_, LOCK_EX) != 0) {
      if (fd_ >= 0) ::close(fd_);
      throw std::runtime_error("cannot lock " + path.string());
    }
  }
  ~FileLock() {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

Poco::JSON::Object::Ptr read_report(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) return new Poco::JSON::Object;
  try {
    return Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    return new Poco::JSON::Object;  // a damaged report is replaced, not merged
  }
}

}  // namespace

std::filesystem::path record_figures(const std::string& file, const std::string& key,
                                     const Poco::JSON::Object::Ptr& figures) {
  std::ostringstream line;
  figures->stringify(line);
  std::cout << "[figures] " << key << " " << line.str() << std::endl;

  const char* binary_dir = std::getenv("MDP_BINARY_DIR");
  if (!binary_dir || !*binary_dir) throw std::runtime_error("MDP_BINARY_DIR is not set");
  const std::filesystem::path dir = std::filesystem::path(binary_dir) / "reports";
  std::filesystem::create_directories(dir);
  const std::filesystem::path path = dir / file;
  FileLock lock(dir / (file + ".lock"));
  Poco::JSON::Object::Ptr report = read_report(path);
  report->set(key, figures);
  const std::filesystem::path temp = dir / (file + ".tmp");
  {
    std::ofstream out(temp, std::ios::trunc);
    report->stringify(out, 2);
    out << "\n";
    if (!out) throw std::runtime_error("cannot write " + temp.string());
  }
  std::filesystem::rename(temp, path);
  return path;
}

}  // namespace mdp::test
