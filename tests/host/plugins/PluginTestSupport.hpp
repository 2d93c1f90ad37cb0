// Shared helpers for the plugin loader tests: where the fixture .so files are, a temporary
// plugin directory, a scripted UpstreamHttp, and a Poco channel that records log lines.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "UpstreamHttp.hpp"

namespace mdp::plugins::testing {

namespace fs = std::filesystem;

// $MDP_BINARY_DIR/test-plugins: the fixtures (never the production plugin dir). Falls back
// to the directory CMake configured (MDP_TEST_PLUGIN_DIR) when the variable is not set.
inline std::string fixture_dir() {
  if (const char* dir = std::getenv("MDP_BINARY_DIR"); dir != nullptr && *dir != '\0') {
    return std::string(dir) + "/test-plugins";
  }
#ifdef MDP_TEST_PLUGIN_DIR
  return MDP_TEST_PLUGIN_DIR;
#else
  throw std::runtime_error("MDP_BINARY_DIR is not set (run through ctest)");
#endif
}

inline std::string fixture_path(const std::string& file_id) { return fixture_dir() + "/mdp-" + file_id + ".so"; }

// True while some code in this process holds `path` loaded (RTLD_NOLOAD never loads).
inline bool is_loaded(const std::string& path) {
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (handle == nullptr) return false;
  ::dlclose(handle);  // drops only the reference NOLOAD just took
  return true;
}

// Waits (up to 2 s) until nothing holds `path` loaded any more: dlclose of the last
// reference can trail the release by a thread exit (seen under ASan). True when unloaded.
inline bool becomes_unloaded(const std::string& path) {
  for (int i = 0; i < 200; ++i) {
    if (!is_loaded(path)) return true;
    ::usleep(10'000);
  }
  return false;
}

// A fresh directory (mode 0755) under the system temp dir, removed with its content.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "mdp-plugins-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
    chmod(path_, 0755);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

  // Copies fixture <file_id> in as mdp-<as_id>.so with `mode`.
  std::string add_fixture(const std::string& file_id, const std::string& as_id, mode_t mode = 0644) const {
    const std::string target = *this / ("mdp-" + as_id + ".so");
    fs::copy_file(fixture_path(file_id), target, fs::copy_options::overwrite_existing);
    chmod(target, mode);
    return target;
  }

  static void chmod(const std::string& path, mode_t mode) {
    if (::chmod(path.c_str(), mode) != 0) throw std::runtime_error("chmod failed: " + path);
  }

 private:
  std::string path_;
};

// Answers http_send with a scripted result and records every request.
class FakeUpstream : public domain::UpstreamHttp {
 public:
  domain::UpstreamResult send(const domain::UpstreamRequest& request, const domain::CallContext&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests.push_back(request);
    if (on_send) on_send();
    if (throw_on_send) throw std::runtime_error("transport exploded");
    return result;
  }

  domain::UpstreamResult result;
  bool throw_on_send = false;
  std::function<void()> on_send;
  std::vector<domain::UpstreamRequest> requests;

 private:
  std::mutex mutex_;
};

inline domain::UpstreamResult ok_response(std::int32_t status, std::string body, std::string content_type = "") {
  domain::UpstreamResult r;
  r.failure = domain::UpstreamFailure::None;
  r.response.status = status;
  r.response.body = std::move(body);
  r.response.content_type = std::move(content_type);
  return r;
}

inline domain::UpstreamResult failure(domain::UpstreamFailure kind, std::string message,
                                      std::int64_t retry_after_ms = -1) {
  domain::UpstreamResult r;
  r.failure = kind;
  r.message = std::move(message);
  r.retry_after_ms = retry_after_ms;
  return r;
}

// Records "<source>|<priority>|<text>" for every message logged to the loggers it is set on.
class CaptureChannel : public Poco::Channel {
 public:
  void log(const Poco::Message& message) override {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(message.getSource() + "|" + std::to_string(static_cast<int>(message.getPriority())) + "|" +
                     message.getText());
  }
  std::vector<std::string> lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
  }
  bool contains(const std::string& needle) const {
    for (const std::string& line : lines()) {
      if (line.find(needle) != std::string::npos) return true;
    }
    return false;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Routes the named loggers into a fresh CaptureChannel for the scope.
class LogCapture {
 public:
  explicit LogCapture(std::vector<std::string> names, int level = Poco::Message::PRIO_TRACE)
      : channel_(new CaptureChannel), names_(std::move(names)) {
    for (const std::string& name : names_) {
      Poco::Logger::get(name).setChannel(channel_);
      Poco::Logger::get(name).setLevel(level);
    }
  }
  ~LogCapture() {
    for (const std::string& name : names_) Poco::Logger::get(name).setChannel(nullptr);
  }
  const CaptureChannel& channel() const { return *channel_; }

 private:
  Poco::AutoPtr<CaptureChannel> channel_;
  std::vector<std::string> names_;
};

}  // namespace mdp::plugins::testing
