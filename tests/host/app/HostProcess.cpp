#include "HostProcess.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>
#include <stdexcept>
#include <thread>

#include "IntegrationPaths.hpp"

extern char** environ;

namespace mdp::app::integration {
namespace {

constexpr std::chrono::milliseconds kPoll{50};

// The parent's environment without MDP_*, plus `extra`.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    if (std::strncmp(*entry, "MDP_", 4) != 0) out.emplace_back(*entry);
  }
  for (const auto& [name, value] : extra) out.push_back(name + "=" + value);
  return out;
}

std::vector<char*> pointers(std::vector<std::string>& items) {
  std::vector<char*> out;
  for (std::string& item : items) out.push_back(item.data());
  out.push_back(nullptr);
  return out;
}

ExitStatus decode(int raw) {
  ExitStatus status;
  if (WIFEXITED(raw)) {
    status.exited = true;
    status.code = WEXITSTATUS(raw);
  } else if (WIFSIGNALED(raw)) {
    status.code = WTERMSIG(raw);
  }
  return status;
}

// Spawn attributes and file actions, released whatever happens.
class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attributes_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attributes_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawn_file_actions_t* actions() { return &actions_; }
  posix_spawnattr_t* attributes() { return &attributes_; }

 private:
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attributes_;
};

}  // namespace

std::string describe(const ExitStatus& status) {
  return status.exited ? "exit code " + std::to_string(status.code) : "killed by signal " + std::to_string(status.code);
}

HostProcess::HostProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                         const std::filesystem::path& working_dir, const std::map<std::string, std::string>& env,
                         const std::string& name)
    : stdout_path_(working_dir / (name + ".stdout")), stderr_path_(working_dir / (name + ".stderr")) {
  std::vector<std::string> argv_text{program.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<std::string> env_text = child_environment(env);
  std::vector<char*> argv = pointers(argv_text);
  std::vector<char*> envp = pointers(env_text);

  SpawnSetup setup;
  posix_spawn_file_actions_addopen(setup.actions(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(setup.actions(), STDOUT_FILENO, stdout_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(setup.actions(), STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addchdir_np(setup.actions(), working_dir.c_str());
  // The test runner may block SIGTERM in its threads; the host must start with defaults.
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(setup.attributes(), &none);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(setup.attributes(), &defaults);
  posix_spawnattr_setflags(setup.attributes(), POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const int rc = ::posix_spawn(&pid_, program.c_str(), setup.actions(), setup.attributes(), argv.data(), envp.data());
  if (rc != 0) {
    pid_ = -1;
    throw std::runtime_error("posix_spawn " + program.string() + ": " + std::strerror(rc));
  }
}

HostProcess::~HostProcess() { kill_and_reap(); }

void HostProcess::kill_and_reap() noexcept {
  if (pid_ <= 0 || exit_) return;
  ::kill(pid_, SIGKILL);
  int raw = 0;
  while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
  }
  exit_ = decode(raw);
}

std::string HostProcess::stdout_text() const {
  try {
    return read_file(stdout_path_);
  } catch (const std::exception&) {
    return "";
  }
}

std::string HostProcess::stderr_text() const {
  try {
    return read_file(stderr_path_);
  } catch (const std::exception&) {
    return "";
  }
}

std::string HostProcess::output() const { return stdout_text() + stderr_text(); }

bool HostProcess::running() {
  if (exit_) return false;
  int raw = 0;
  const pid_t done = ::waitpid(pid_, &raw, WNOHANG);
  if (done == pid_) {
    exit_ = decode(raw);
    return false;
  }
  return true;
}

bool HostProcess::wait_for_output(const std::string& needle, std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (output().find(needle) != std::string::npos) return true;
    if (!running()) return output().find(needle) != std::string::npos;
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(kPoll);
  }
}

std::optional<std::uint16_t> HostProcess::wait_for_listening_port(std::chrono::milliseconds limit) {
  if (!wait_for_output("listening on http://", limit)) return std::nullopt;
  static const std::regex line(R"(listening on http://[^:\s]+:([0-9]{1,5}))");
  // The line is written in one piece, but give a partly flushed one a moment.
  const auto give_up = std::chrono::steady_clock::now() + limit;
  for (;;) {
    std::smatch match;
    const std::string text = output();
    if (std::regex_search(text, match, line)) {
      const unsigned long port = std::stoul(match[1].str());
      if (port > 0 && port <= 65535) return static_cast<std::uint16_t>(port);
      return std::nullopt;
    }
    if (std::chrono::steady_clock::now() >= give_up) return std::nullopt;
    std::this_thread::sleep_for(kPoll);
  }
}

void HostProcess::signal(int signal_number) const {
  if (pid_ > 0 && !exit_) ::kill(pid_, signal_number);
}

std::optional<ExitStatus> HostProcess::wait_for_exit(std::chrono::milliseconds limit) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (running()) {
    if (std::chrono::steady_clock::now() >= give_up) return std::nullopt;
    std::this_thread::sleep_for(kPoll);
  }
  return exit_;
}

CompletedRun run_to_completion(const std::filesystem::path& program, const std::vector<std::string>& args,
                               const std::filesystem::path& working_dir,
                               const std::map<std::string, std::string>& env, std::chrono::milliseconds limit) {
  HostProcess process(program, args, working_dir, env);
  CompletedRun run;
  run.status = process.wait_for_exit(limit);
  run.stdout_text = process.stdout_text();
  run.stderr_text = process.stderr_text();
  return run;  // a host still running is killed by ~HostProcess
}

}  // namespace mdp::app::integration
