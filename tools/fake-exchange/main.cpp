// mdp-fake-exchange --dir DIR [--host 127.0.0.1] [--port N] [--threads N]
// Serves DIR/routes.json on a loopback address, prints the URL on stdout, stops on
// SIGINT/SIGTERM. See README.md in this folder for the manifest format.
#include <signal.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "FakeExchangeServer.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: mdp-fake-exchange --dir DIR [--host 127.0.0.1] [--port N] [--threads N]\n"
         "  Serves the routes of DIR/routes.json on a loopback address (port 0 = any free port),\n"
         "  prints the URL it listens on, and stops on SIGINT or SIGTERM.\n";
}

bool parse_number(const std::string& text, long max, long& out) {
  if (text.empty() || text.size() > 6) return false;
  for (const char c : text) {
    if (c < '0' || c > '9') return false;
  }
  out = std::strtol(text.c_str(), nullptr, 10);
  return out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  mdp::fake::FakeExchangeServer::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&](const char* name) -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "mdp-fake-exchange: " << name << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    long number = 0;
    if (arg == "--help" || arg == "-h") {
      usage(std::cout);
      return 0;
    } else if (arg == "--dir") {
      dir = value("--dir");
    } else if (arg == "--host") {
      options.host = value("--host");
    } else if (arg == "--port") {
      if (!parse_number(value("--port"), 65535, number)) {
        std::cerr << "mdp-fake-exchange: --port must be 0..65535\n";
        return 2;
      }
      options.port = static_cast<std::uint16_t>(number);
    } else if (arg == "--threads") {
      if (!parse_number(value("--threads"), 1024, number) || number < 1) {
        std::cerr << "mdp-fake-exchange: --threads must be 1..1024\n";
        return 2;
      }
      options.threads = static_cast<int>(number);
    } else {
      std::cerr << "mdp-fake-exchange: unknown argument '" << arg << "'\n";
      usage(std::cerr);
      return 2;
    }
  }
  if (dir.empty()) {
    std::cerr << "mdp-fake-exchange: --dir is required\n";
    usage(std::cerr);
    return 2;
  }

  // Block the stop signals before any thread starts, so every thread inherits the mask and
  // sigwait() below is the only place they are delivered.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  try {
    mdp::fake::FakeExchangeServer server(options);
    const std::size_t routes = server.load_dir(dir);
    std::cout << server.base_url() << std::endl;
    std::cerr << "mdp-fake-exchange: " << routes << " routes from " << dir << "; stop with Ctrl-C" << std::endl;
    sigdelset(&stop_signals, SIGPIPE);
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    std::cerr << "mdp-fake-exchange: stopping (signal " << signal_number << "), served " << server.request_count()
              << " requests" << std::endl;
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "mdp-fake-exchange: " << e.what() << std::endl;
    return 2;
  }
}
