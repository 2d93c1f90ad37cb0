#include "ThrowawayPostgres.hpp"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "ChildCommand.hpp"

namespace mdp::test {
namespace {

constexpr std::chrono::seconds kToolLimit{180};  // pg_ctl waits 120 s itself; a loaded machine is slow
constexpr const char* kRunuser = "/usr/sbin/runuser";

std::filesystem::path bin_dir() {
  const char* configured = std::getenv("MDP_PG_BINDIR");
  return configured && *configured ? std::filesystem::path(configured)
                                   : std::filesystem::path("/usr/lib/postgresql/15/bin");
}

bool is_root() { return ::geteuid() == 0; }

// A port nobody listens on right now (the kernel's pick for 127.0.0.1:0).
std::uint16_t free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("ThrowawayPostgres: socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("ThrowawayPostgres: cannot find a free loopback port");
  return ntohs(address.sin_port);
}

void hand_to_postgres_user(const std::filesystem::path& path) {
  if (!is_root()) return;
  const passwd* user = ::getpwnam("postgres");
  if (!user) throw std::runtime_error("ThrowawayPostgres: running as root needs the 'postgres' OS user");
  if (::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
    throw std::runtime_error("ThrowawayPostgres: chown failed for " + path.string());
  }
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

ThrowawayPostgres::ThrowawayPostgres(std::string role, std::string database)
    : role_(std::move(role)), database_(std::move(database)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "mdp-throwaway-pg-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("ThrowawayPostgres: mkdtemp failed");
  dir_ = pattern;
  data_dir_ = dir_ / "data";
  socket_dir_ = dir_ / "socket";
  try {
    std::filesystem::create_directory(socket_dir_);
    hand_to_postgres_user(dir_);
    hand_to_postgres_user(socket_dir_);
    run({"initdb", "-D", data_dir_.string(), "-U", role_, "--auth=trust", "--encoding=UTF8", "--locale=C",
         "--no-sync", "--no-instructions"},
        "initdb");
    start();
    create_database();
  } catch (...) {
    if (running_) {
      try {
        stop(StopMode::Immediate);
      } catch (...) {
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

ThrowawayPostgres::~ThrowawayPostgres() {
  if (running_) {
    try {
      stop(StopMode::Immediate);
    } catch (...) {
      // pg_ctl failed: kill the postmaster this object started (its pid file), nothing else.
      std::ifstream pid_file(data_dir_ / "postmaster.pid");
      long pid = 0;
      if (pid_file >> pid && pid > 1) ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string ThrowawayPostgres::run(const std::vector<std::string>& tool_and_args, const char* what) const {
  std::vector<std::string> argv;
  if (is_root()) argv = {kRunuser, "-u", "postgres", "--"};
  argv.push_back((bin_dir() / tool_and_args.front()).string());
  argv.insert(argv.end(), tool_and_args.begin() + 1, tool_and_args.end());
  const CommandResult result = run_command(argv, dir_ / (std::string(what) + ".out"), kToolLimit);
  if (!result.finished || result.exit_code != 0) {
    throw std::runtime_error(std::string("ThrowawayPostgres: ") + what + " failed (" +
                             (result.finished ? "exit " + std::to_string(result.exit_code) : "timed out") +
                             "):\n" + result.output + "\nserver log:\n" + server_log());
  }
  return result.output;
}

void ThrowawayPostgres::start_on_port() {
  const std::string options = "-p " + std::to_string(port_) + " -k " + socket_dir_.string() +
                              " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
                              " -c max_connections=60 -c shared_buffers=16MB";
  run({"pg_ctl", "-D", data_dir_.string(), "-l", (dir_ / "postgresql.log").string(), "-w", "-t", "120", "-o",
       options, "start"},
      "pg_ctl-start");
  running_ = true;
}

void ThrowawayPostgres::start() {
  if (running_) return;
  if (port_ != 0) {
    start_on_port();  // a restart keeps the port the clients were given
    return;
  }
  // The first start picks a port; another process may take it between the check and the
  // bind, so try a few.
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_loopback_port();
    try {
      start_on_port();
      return;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
  }
  port_ = 0;
  throw std::runtime_error(last_error);
}

void ThrowawayPostgres::stop(StopMode mode) {
  if (!running_) return;
  run({"pg_ctl", "-D", data_dir_.string(), "-m", mode == StopMode::Fast ? "fast" : "immediate", "-w", "-t", "120",
       "stop"},
      "pg_ctl-stop");
  running_ = false;
}

void ThrowawayPostgres::restart(StopMode mode) {
  stop(mode);
  start();
}

void ThrowawayPostgres::create_database() {
  const std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + role_ +
                               " dbname=postgres connect_timeout=30";
  PGconn* conn = PQconnectdb(conninfo.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    char* name = PQescapeIdentifier(conn, database_.c_str(), database_.size());
    char* owner = PQescapeIdentifier(conn, role_.c_str(), role_.size());
    const std::string sql = "CREATE DATABASE " + std::string(name ? name : "") + " OWNER " + (owner ? owner : "");
    PQfreemem(name);
    PQfreemem(owner);
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  PQfinish(conn);
  if (!error.empty()) throw std::runtime_error("ThrowawayPostgres: CREATE DATABASE failed: " + error);
}

std::string ThrowawayPostgres::url() const {
  return "postgresql://" + role_ + ":unused@127.0.0.1:" + std::to_string(port_) + "/" + database_;
}

std::string ThrowawayPostgres::server_log() const { return read_text(dir_ / "postgresql.log"); }

}  // namespace mdp::test
