// mdp-host: the one binary of the platform. Roles: api (HTTP API), syncer (metadata sync),
// all (both, the default). See docs/operations.md for every configuration key.
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Crypto/Crypto.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <Poco/Util/ServerApplication.h>

#include <malloc.h>

#include <filesystem>
#include <iostream>

#include "AppConfig.hpp"
#include "Application.hpp"
#include "ClientsCommand.hpp"

namespace {

class HostApplication final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit")
                          .required(false)
                          .repeatable(false)
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::on_help)));
    options.addOption(Poco::Util::Option("config", "c", "read configuration from FILE (key = value)")
                          .required(false)
                          .repeatable(false)
                          .argument("FILE")
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::on_config)));
    options.addOption(Poco::Util::Option("role", "r", "api | syncer | all (default: all)")
                          .required(false)
                          .repeatable(false)
                          .argument("ROLE")
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::on_role)));
    options.addOption(Poco::Util::Option("dev", "", "development mode: throwaway JWT secret, dev client")
                          .required(false)
                          .repeatable(false)
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::on_dev)));
    options.addOption(Poco::Util::Option("scopes", "", "clients add: market:read[,admin] (default market:read)")
                          .required(false)
                          .repeatable(false)
                          .argument("LIST")
                          .callback(Poco::Util::OptionCallback<HostApplication>(this, &HostApplication::on_scopes)));
  }

  int main(const std::vector<std::string>& args) override {
    if (help_) {
      print_help();
      return EXIT_OK;
    }
    if (!args.empty() && args.front() == "clients") return run_clients(args);
    if (!args.empty()) {
      std::cerr << "mdp-host: unexpected argument '" << args.front() << "' (see --help)\n";
      return EXIT_USAGE;
    }
    setup_logging();
    // A fixed mmap threshold: glibc otherwise raises it after the first freed 19 MiB argon2
    // work area and keeps every later one on the heap for good (idle RSS 43.6 MB → 23 MB,
    // docs/profiles/footprint-idle-rss.md). 8 MiB, not 128 KiB: a 10,000-candle request's
    // buffers (page vectors, parser, the ~2 MB body) then come from the heap, and the trim
    // threshold keeps up to 16 MiB of freed heap top per arena for the next request instead
    // of unmapping it and faulting it back in (issue 11 fetch, docs/profiles/fetch-candles-10k.md).
    // The argon2 area (19 MiB) is still an mmap, returned to the system when freed, so idle
    // RSS is unchanged (23.6 MB); the price is freed heap kept for reuse after large requests
    // (bounded: ~60 MB after 25 uncached 10,000-candle requests vs 24.5 MB; docs/performance.md).
    mallopt(M_MMAP_THRESHOLD, 8 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
    // OpenSSL stays initialised for the whole process: Poco's per-object initialiser
    // races under concurrent use (RELIABILITY.md §8 #8).
    Poco::Crypto::initializeCrypto();
    int status = EXIT_OK;
    try {
      mdp::app::AppConfig config = load_config();
      mdp::app::Application app(std::move(config), {executable_dir()});
      app.start();
      waitForTerminationRequest();
      Poco::Logger::get("app").information("stopping");
      app.stop();
    } catch (const mdp::app::ConfigError& e) {
      std::cerr << "mdp-host: configuration error: " << e.what() << "\n";
      status = EXIT_CONFIG;
    } catch (const std::exception& e) {
      std::cerr << "mdp-host: cannot start: " << e.what() << "\n";
      status = EXIT_SOFTWARE;
    }
    Poco::Crypto::uninitializeCrypto();
    return status;
  }

 private:
  void on_help(const std::string&, const std::string&) {
    help_ = true;
    stopOptionsProcessing();
  }
  void on_config(const std::string&, const std::string& value) { config_file_ = value; }
  void on_role(const std::string&, const std::string& value) { cli_.role = value; }
  void on_dev(const std::string&, const std::string&) { cli_.dev = true; }
  void on_scopes(const std::string&, const std::string& value) { scopes_ = value; }

  // `mdp-host clients …` (ClientsCommand.hpp), with OpenSSL held initialised as for serving.
  int run_clients(const std::vector<std::string>& args) {
    Poco::Logger::root().setLevel(Poco::Message::PRIO_WARNING);
    Poco::Crypto::initializeCrypto();
    int status = EXIT_OK;
    try {
      cli_.client_admin = true;
      status = mdp::app::run_clients_command(load_config(), executable_dir(), args, scopes_, std::cout, std::cerr);
    } catch (const mdp::app::ConfigError& e) {
      std::cerr << "mdp-host: configuration error: " << e.what() << "\n";
      status = EXIT_CONFIG;
    }
    Poco::Crypto::uninitializeCrypto();
    return status;
  }

  void print_help() {
    Poco::Util::HelpFormatter help(options());
    help.setCommand("mdp-host");
    help.setUsage("[--config FILE] [--role api|syncer|all] [--dev]\n"
                  "       mdp-host [--config FILE] clients add NAME --scopes market:read[,admin] | clients list | "
                  "clients revoke NAME");
    help.setHeader("Market Data Platform host: serves the HTTP API and syncs exchange metadata.");
    help.format(std::cout);
    std::cout << "\nConfiguration keys (file key = value; environment overrides the file):\n";
    for (const auto& key : mdp::app::config_reference()) {
      std::cout << "  " << key.key << " (default " << key.default_value << (key.env.empty() ? "" : ", env ")
                << key.env << ")\n      " << key.description << "\n";
    }
  }

  mdp::app::AppConfig load_config() {
    Poco::AutoPtr<Poco::Util::AbstractConfiguration> file;
    if (config_file_.empty()) {
      file = new Poco::Util::MapConfiguration;
    } else {
      if (!std::filesystem::is_regular_file(config_file_)) {
        throw mdp::app::ConfigError("--config: cannot read '" + config_file_ + "'");
      }
      file = new Poco::Util::PropertyFileConfiguration(config_file_);
    }
    return mdp::app::load_app_config(*file, mdp::app::process_environment(), cli_);
  }

  std::filesystem::path executable_dir() const {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) return self.parent_path();
    return std::filesystem::absolute(config().getString("application.dir", ".")).lexically_normal();
  }

  static void setup_logging() {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t"));
    formatter->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::FormattingChannel> channel(new Poco::FormattingChannel(formatter, new Poco::ConsoleChannel));
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(Poco::Message::PRIO_INFORMATION);
  }

  bool help_ = false;
  std::string config_file_;
  std::string scopes_;
  mdp::app::CommandLine cli_;
};

}  // namespace

POCO_SERVER_MAIN(HostApplication)
