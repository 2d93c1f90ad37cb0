// One mdp-host child process for the process-level tests: spawned with posix_spawn in its own
// working directory, with an environment that keeps nothing MDP_* from the test's own (so a
// developer's MDP_JWT_SECRET or MDP_DATABASE_URL cannot change the outcome), and with
// stdout/stderr going to files so the log can be read at any time without a pipe filling up.
// The destructor kills (SIGKILL) and reaps a child that is still running, so a failed
// assertion never leaves a host behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mdp::app::integration {

// How a child ended.
struct ExitStatus {
  bool exited = false;  // false: killed by a signal
  int code = -1;        // exit code when exited, else the signal number
};
std::string describe(const ExitStatus& status);

class HostProcess {
 public:
  // Generous waits: the tests run on a shared, loaded 2-core machine. A wait that runs out is
  // a failure (the host hung), never a timing assertion.
  static constexpr std::chrono::seconds kStartWait{120};
  static constexpr std::chrono::seconds kStopWait{120};

  // Starts `program` with `args` in `working_dir`; logs go to working_dir/<name>.stdout|stderr.
  HostProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
              const std::filesystem::path& working_dir, const std::map<std::string, std::string>& env = {},
              const std::string& name = "mdp-host");
  ~HostProcess();
  HostProcess(const HostProcess&) = delete;
  HostProcess& operator=(const HostProcess&) = delete;

  pid_t pid() const noexcept { return pid_; }

  std::string stdout_text() const;
  std::string stderr_text() const;
  std::string output() const;  // stdout then stderr

  // Waits until the output contains `needle`; false when the process ended first or the wait
  // ran out.
  bool wait_for_output(const std::string& needle, std::chrono::milliseconds limit = kStartWait);
  // Waits for the "listening on http://HOST:PORT" log line and returns PORT, or nullopt.
  std::optional<std::uint16_t> wait_for_listening_port(std::chrono::milliseconds limit = kStartWait);

  // Sends `signal` (SIGTERM by default) to a running child.
  void signal(int signal_number) const;
  // Waits for the child to end; nullopt when it is still running after `limit`.
  std::optional<ExitStatus> wait_for_exit(std::chrono::milliseconds limit = kStopWait);
  bool running();

 private:
  void kill_and_reap() noexcept;

  pid_t pid_ = -1;
  std::optional<ExitStatus> exit_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

// Runs a host to completion (for the refusals and --help); kills it after `limit`.
struct CompletedRun {
  std::optional<ExitStatus> status;  // nullopt: it did not end within the limit
  std::string stdout_text;
  std::string stderr_text;
};
CompletedRun run_to_completion(const std::filesystem::path& program, const std::vector<std::string>& args,
                               const std::filesystem::path& working_dir,
                               const std::map<std::string, std::string>& env = {},
                               std::chrono::milliseconds limit = HostProcess::kStartWait);

}  // namespace mdp::app::integration
