// A private, disposable PostgreSQL 15 cluster for tests that stop, kill or restart the
// database server (RELIABILITY.md D1–D5). Never the shared cluster on 5432: everyone's
// tests run against that one all the time.
//
// initdb into a fresh temp dir, trust auth for one superuser role (no password is
// checked), a free 127.0.0.1 port that stays the same across restarts (so a host keeps its
// URL), the Unix socket inside the temp dir, fsync off (throwaway data; an immediate stop
// kills processes, not the OS, so written WAL survives). synchronous_commit stays on: off, a
// commit returns before its WAL is written and an immediate stop loses it. PostgreSQL refuses
// to run as root, so as root every tool runs as the `postgres` OS user (runuser) and the
// temp dir is handed to that user. The destructor stops the server (-m immediate) and
// removes everything, whether the test passed or not.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mdp::test {

enum class StopMode {
  Fast,       // pg_ctl -m fast: backends terminated, clean shutdown checkpoint
  Immediate,  // pg_ctl -m immediate: every process killed, crash recovery at the next start
};

class ThrowawayPostgres {
 public:
  // Creates and starts the cluster with role `role` and database `database`. Throws
  // std::runtime_error with the tools' output when PostgreSQL 15 is missing or fails.
  explicit ThrowawayPostgres(std::string role = "mdp", std::string database = "mdp");
  ~ThrowawayPostgres();
  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;

  // Both wait until the server accepts connections / has stopped (generous limits for a
  // loaded machine); both throw std::runtime_error with the server log when that fails.
  void start();
  void stop(StopMode mode = StopMode::Fast);
  void restart(StopMode mode = StopMode::Fast);
  bool running() const noexcept { return running_; }

  std::uint16_t port() const noexcept { return port_; }
  // postgresql://<role>:unused@127.0.0.1:<port>/<database> (the password is not checked).
  std::string url() const;
  // The server's own log (postgresql.log), for failure messages.
  std::string server_log() const;
  const std::filesystem::path& dir() const noexcept { return dir_; }

 private:
  std::string run(const std::vector<std::string>& tool_and_args, const char* what) const;
  void start_on_port();
  void create_database();

  std::string role_;
  std::string database_;
  std::filesystem::path dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path socket_dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

}  // namespace mdp::test
