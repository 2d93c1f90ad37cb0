#include "RunningApplication.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <stdexcept>

#include "IntegrationPaths.hpp"
#include "PluginRegistry.hpp"

namespace mdp::app::integration {

RunningApplication::RunningApplication(ApplicationOptions options) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file(new Poco::Util::MapConfiguration);
  // The API role: no background metadata sync, so the only upstream requests are the test's own.
  file->setString("role", "api");
  file->setString("database.url", "sqlite:" + (work_ / "mdp.db").string());
  file->setString("database.schema_dir", schema_dir().string());
  file->setString("server.host", "127.0.0.1");
  file->setString("server.port", "0");
  file->setString("server.threads", "4");
  file->setString("plugins.dir",
                  (options.plugin_dir.empty() ? plugin_build_dir() : options.plugin_dir).string());
  std::string enabled;
  for (const auto& [id, url] : options.base_urls) {
    enabled += (enabled.empty() ? "" : ",") + id;
    file->setString("plugins." + id + ".base_url", url);
  }
  file->setString("plugins.enabled", enabled);
  for (const auto& [key, value] : options.extra_settings) file->setString(key, value);

  // A real secret rather than --dev: dev mode also creates a throwaway API client at start.
  file->setString("auth.jwt_secret", "app-integration-tests-k8Qz3vLw9Rt2Xy5Nb7Mc4Pd6Fg1Hj0Ks");
  AppConfig config = load_app_config(*file, Environment{}, CommandLine{});
  app_ = std::make_unique<Application>(std::move(config), AppPaths{binary_dir() / "bin"});
  app_->start();
}

RunningApplication::~RunningApplication() {
  if (app_) app_->stop();
}

std::shared_ptr<domain::ExchangeAdapter> RunningApplication::adapter(const std::string& id) {
  if (auto adapter = app_->plugins().find(id)) return adapter;
  for (const auto& status : app_->plugins().statuses()) {
    if (status.id == id) throw std::runtime_error("plugin " + id + " did not load: " + status.reason);
  }
  throw std::runtime_error("plugin " + id + " is not configured");
}

}  // namespace mdp::app::integration
