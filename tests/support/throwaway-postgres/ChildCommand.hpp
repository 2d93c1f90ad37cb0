// Runs one command to completion (fork + exec, no shell): output to a file, every inherited
// descriptor above stderr closed in the child, so a server it starts (pg_ctl's postmaster)
// never keeps the test's sockets or pipes open.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace mdp::test {

struct CommandResult {
  bool finished = false;  // false: killed after the time limit
  int exit_code = -1;     // exit code, or -1 when killed by a signal
  std::string output;     // stdout + stderr
};

// `argv[0]` is an absolute path; the command runs in output_file's folder. Never throws for a failing command; throws
// std::runtime_error only when the process cannot be created.
CommandResult run_command(const std::vector<std::string>& argv, const std::filesystem::path& output_file,
                          std::chrono::seconds limit);

}  // namespace mdp::test
