// The load checks (RELIABILITY.md P1-P5, P10): every broken-plugin fixture is refused with
// its own message naming the file, the others still load, and nothing is unloaded while
// the registry lives.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "PluginLibrary.hpp"
#include "PluginRegistry.hpp"
#include "PluginTestSupport.hpp"

using namespace mdp::plugins;
using namespace mdp::plugins::testing;

namespace {

PluginsConfig config_for(const std::string& dir, const std::vector<std::string>& ids) {
  PluginsConfig config;
  config.plugin_dir = dir;
  for (const std::string& id : ids) config.enabled.push_back({id, {{"base_url", "http://127.0.0.1:1"}}});
  return config;
}

const PluginStatus& status_of(const PluginRegistry& registry, const std::string& id) {
  const auto& all = registry.statuses();
  const auto it = std::find_if(all.begin(), all.end(), [&](const PluginStatus& s) { return s.id == id; });
  if (it == all.end()) throw std::runtime_error("no status for " + id);
  return *it;
}

// Loads `good` then `id` from the fixture dir; returns the reason `id` failed.
std::string refusal(const std::string& id) {
  FakeUpstream upstream;
  PluginRegistry registry(config_for(fixture_dir(), {"good", id}), upstream);
  EXPECT_EQ(status_of(registry, "good").state, PluginState::Loaded) << status_of(registry, "good").reason;
  EXPECT_NE(registry.find("good"), nullptr);
  const PluginStatus& status = status_of(registry, id);
  EXPECT_EQ(status.state, PluginState::Failed);
  EXPECT_EQ(registry.find(id), nullptr);
  EXPECT_FALSE(registry.all_loaded());
  return status.reason;
}

#define EXPECT_HAS(haystack, needle) EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

// ------------------------------------------------------------------ each fixture, in check order

struct Refusal {
  const char* id;
  const char* message;
};

void PrintTo(const Refusal& refusal, std::ostream* os) { *os << refusal.id; }

class BrokenPlugin : public ::testing::TestWithParam<Refusal> {};

TEST_P(BrokenPlugin, IsRefusedWithItsOwnMessageWhileOthersLoad) {
  const Refusal& expected = GetParam();
  const std::string reason = refusal(expected.id);
  EXPECT_HAS(reason, expected.message);
  // Every message names the file it is about.
  EXPECT_HAS(reason, fixture_dir() + "/mdp-" + expected.id + ".so");
}

INSTANTIATE_TEST_SUITE_P(
    LoadChecks, BrokenPlugin,
    ::testing::Values(
        Refusal{"unresolved", "dlopen failed: "},
        Refusal{"no_entry", "entry symbol 'mdp_plugin_entry' not found"},
        Refusal{"entry_null", "mdp_plugin_entry() returned NULL"},
        Refusal{"bad_magic", "bad magic 0x12345678, expected 0x4D44504C ('MDPL')"},
        Refusal{"major_mismatch", "built against ABI 2, host supports 1"},
        Refusal{"minor_newer", "built against ABI 1.3, host supports up to 1.0"},
        Refusal{"small_table", "plugin table struct_size 40 is smaller than the 56 bytes ABI 1.0 requires"},
        Refusal{"null_function", "required function 'fetch_candles' is NULL"},
        Refusal{"null_descriptor", "descriptor is NULL"},
        Refusal{"bad_id", "descriptor id 'Bad.Id' is invalid: must match [a-z0-9_-]{1,32}"},
        Refusal{"other_id", "descriptor id 'someone_else' does not match the configured id 'other_id'"},
        Refusal{"unknown_interval", "descriptor interval #1 code '1y' is not in the canonical catalogue (1m 3m"},
        Refusal{"duplicate_interval", "descriptor lists interval '1m' twice"},
        Refusal{"zero_page_cap", "descriptor interval '1h' has page_cap 0"},
        Refusal{"dup_good", "plugin id 'good' is already loaded (from " },
        Refusal{"create_fails", "create() failed with MDP_E_INVALID_ARGUMENT: fixture: no api_key configured"},
        Refusal{"missing", "plugin file not found"}),
    [](const ::testing::TestParamInfo<Refusal>& param) { return std::string(param.param.id); });

TEST(PluginLoader, UnresolvedSymbolFailsAtDlopenWithTheLoaderText) {
  // RTLD_NOW (P5): the host learns at load time, not by dying at call time.
  const std::string reason = refusal("unresolved");
  EXPECT_HAS(reason, "undefined symbol: mdp_fixture_missing_function");
}

TEST(PluginLoader, AllFixturesTogetherOnlyTheSoundOnesLoad) {
  const std::vector<std::string> ids = {
      "good",         "unresolved",       "no_entry",        "entry_null",     "bad_magic",
      "major_mismatch", "minor_newer",    "small_table",     "null_function",  "null_descriptor",
      "bad_id",       "other_id",         "unknown_interval", "duplicate_interval", "zero_page_cap",
      "dup_good",     "create_fails",     "throws",          "unknown_status", "malformed_decimal",
      "out_of_order", "small_stride",     "long_string",     "big_table"};
  FakeUpstream upstream;
  PluginRegistry registry(config_for(fixture_dir(), ids), upstream);
  ASSERT_EQ(registry.statuses().size(), ids.size());
  std::vector<std::string> loaded;
  std::vector<std::string> reasons;
  for (const PluginStatus& s : registry.statuses()) {
    if (s.state == PluginState::Loaded) {
      loaded.push_back(s.id);
      EXPECT_EQ(s.reason, "");
    } else {
      EXPECT_FALSE(s.reason.empty()) << s.id;
      reasons.push_back(s.reason);
    }
  }
  const std::vector<std::string> expected = {"good",           "throws",       "unknown_status", "malformed_decimal",
                                             "out_of_order",   "small_stride", "long_string",    "big_table"};
  EXPECT_EQ(loaded, expected);
  EXPECT_EQ(registry.adapters().size(), expected.size());
  // Each refusal has its own message.
  std::sort(reasons.begin(), reasons.end());
  EXPECT_EQ(std::adjacent_find(reasons.begin(), reasons.end()), reasons.end());
}

TEST(PluginLoader, ReportsDescriptorAndAbiOfLoadedPlugins) {
  FakeUpstream upstream;
  PluginRegistry registry(config_for(fixture_dir(), {"good", "big_table"}), upstream);
  EXPECT_TRUE(registry.all_loaded());
  const PluginStatus& good = status_of(registry, "good");
  ASSERT_TRUE(good.descriptor.has_value());
  EXPECT_EQ(good.descriptor->id, "good");
  EXPECT_EQ(good.descriptor->name, "Fixture good");
  EXPECT_EQ(good.descriptor->version, "0.1.0");
  EXPECT_EQ(good.abi, "1.0");
  EXPECT_EQ(good.path, fixture_dir() + "/mdp-good.so");
  ASSERT_EQ(good.descriptor->intervals.size(), 2u);
  EXPECT_EQ(good.descriptor->intervals[1].interval, "1h");
  EXPECT_EQ(good.descriptor->intervals[1].native_code, "60");
  EXPECT_EQ(good.descriptor->intervals[1].page_cap, 500u);
  // A table larger than the host's (fields appended at the same minor) loads: size-versioning.
  EXPECT_EQ(status_of(registry, "big_table").state, PluginState::Loaded);
  EXPECT_EQ(to_string(PluginState::Loaded), std::string("loaded"));
  EXPECT_EQ(to_string(PluginState::Failed), std::string("failed"));
}

// ------------------------------------------------------------------ configuration (P1, P3)

TEST(PluginLoader, RefusesBadConfiguration) {
  FakeUpstream upstream;
  {
    PluginRegistry registry(config_for("", {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason, "plugin 'good': plugin_dir is not configured");
  }
  {
    PluginRegistry registry(config_for("relative/plugins", {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason, "plugin_dir 'relative/plugins' is not an absolute path");
  }
  {
    PluginRegistry registry(config_for("/nonexistent/mdp-plugins", {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason, "plugin_dir '/nonexistent/mdp-plugins' cannot be resolved");
  }
  {
    // A path, not an id: refused before any file is looked at (P1).
    PluginRegistry registry(config_for(fixture_dir(), {"../../tmp/evil", "good/../good", "GOOD", "good"}), upstream);
    EXPECT_HAS(status_of(registry, "../../tmp/evil").reason, "invalid plugin id: must match [a-z0-9_-]{1,32}");
    EXPECT_HAS(status_of(registry, "good/../good").reason, "invalid plugin id");
    EXPECT_HAS(status_of(registry, "GOOD").reason, "invalid plugin id");
    EXPECT_EQ(status_of(registry, "good").state, PluginState::Loaded);
  }
  {
    PluginRegistry registry(config_for(fixture_dir(), {"good", "good"}), upstream);
    ASSERT_EQ(registry.statuses().size(), 2u);
    EXPECT_EQ(registry.statuses()[0].state, PluginState::Loaded);
    EXPECT_HAS(registry.statuses()[1].reason, "listed more than once in the configuration (already loaded)");
    EXPECT_EQ(registry.adapters().size(), 1u);
  }
}

TEST(PluginLoader, NeverLoadsFromTheWorkingDirectory) {
  // P3: a rogue mdp-good.so in the CWD and an empty plugin dir: the host builds
  // <plugin_dir>/mdp-good.so itself, so the rogue file is never opened.
  TempDir cwd;
  TempDir plugin_dir;
  const std::string rogue = cwd.add_fixture("good", "good");
  char previous[4096];
  ASSERT_NE(::getcwd(previous, sizeof previous), nullptr);
  ASSERT_EQ(::chdir(cwd.path().c_str()), 0);
  {
    FakeUpstream upstream;
    PluginRegistry registry(config_for(plugin_dir.path(), {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason, plugin_dir.path() + "/mdp-good.so: plugin file not found");
    EXPECT_FALSE(is_loaded(rogue));
  }
  ASSERT_EQ(::chdir(previous), 0);
}

TEST(PluginLoader, RefusesSymlinksThatLeaveThePluginDir) {
  TempDir outside;
  TempDir plugin_dir;
  const std::string target = outside.add_fixture("good", "good");
  ASSERT_EQ(::symlink(target.c_str(), (plugin_dir / "mdp-good.so").c_str()), 0);
  ASSERT_EQ(::symlink((outside / "nothing.so").c_str(), (plugin_dir / "mdp-dangling.so").c_str()), 0);
  // A symlink that stays inside (to a file in a subdirectory) is fine.
  ASSERT_EQ(::mkdir((plugin_dir / "versions").c_str(), 0755), 0);
  std::filesystem::copy_file(fixture_path("big_table"), plugin_dir / "versions/big_table-1.so");
  TempDir::chmod(plugin_dir / "versions/big_table-1.so", 0644);
  ASSERT_EQ(::symlink("versions/big_table-1.so", (plugin_dir / "mdp-big_table.so").c_str()), 0);

  FakeUpstream upstream;
  PluginRegistry registry(config_for(plugin_dir.path(), {"good", "dangling", "big_table"}), upstream);
  const std::string& reason = status_of(registry, "good").reason;
  EXPECT_HAS(reason, plugin_dir.path() + "/mdp-good.so: resolves to '");
  EXPECT_HAS(reason, "', outside the plugin directory '");
  EXPECT_HAS(status_of(registry, "dangling").reason, "mdp-dangling.so: cannot be resolved (dangling symlink?)");
  EXPECT_EQ(status_of(registry, "big_table").state, PluginState::Loaded) << status_of(registry, "big_table").reason;
  EXPECT_FALSE(is_loaded(target));
}

// ------------------------------------------------------------------ owner and mode (P2)

TEST(PluginLoader, RefusesGroupOrWorldWritableFilesAndDirectories) {
  FakeUpstream upstream;
  {
    TempDir dir;
    dir.add_fixture("good", "good", 0664);  // chmod g+w
    PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason,
               "/mdp-good.so: plugin file must be only writable by its owner (mode 0664 is group- or world-writable)");
  }
  {
    TempDir dir;
    dir.add_fixture("good", "good", 0646);
    PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason, "mode 0646");
  }
  {
    TempDir dir;
    dir.add_fixture("good", "good", 0644);
    TempDir::chmod(dir.path(), 0777);
    PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
    EXPECT_HAS(status_of(registry, "good").reason,
               dir.path() + ": plugin directory must be only writable by its owner (mode 0777");
  }
  {
    TempDir dir;
    dir.add_fixture("good", "good", 0644);  // chmod 644 -> loaded
    PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
    EXPECT_EQ(status_of(registry, "good").state, PluginState::Loaded) << status_of(registry, "good").reason;
  }
  {
    TempDir dir;
    dir.add_fixture("good", "good", 0664);
    PluginsConfig config = config_for(dir.path(), {"good"});
    config.check_file_permissions = false;  // dev-only switch
    PluginRegistry registry(config, upstream);
    EXPECT_EQ(status_of(registry, "good").state, PluginState::Loaded) << status_of(registry, "good").reason;
  }
}

TEST(PluginLoader, RefusesFilesOwnedBySomeoneElse) {
  TempDir dir;
  const std::string file = dir.add_fixture("good", "good", 0644);
  constexpr uid_t kNobody = 65534;
  if (::geteuid() != 0) {
    // Without root the test cannot hand a file to another user; the rule is still exercised
    // by the mode checks above. (CI runs as root.)
    GTEST_SKIP() << "needs root to chown a file to another uid";
  }
  ASSERT_EQ(::chown(file.c_str(), kNobody, kNobody), 0);
  FakeUpstream upstream;
  PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
  EXPECT_HAS(status_of(registry, "good").reason,
             "/mdp-good.so: plugin file must be owned by root or uid 0 (owned by uid 65534)");
  ASSERT_EQ(::chown(file.c_str(), 0, 0), 0);
  ASSERT_EQ(::chown(dir.path().c_str(), kNobody, kNobody), 0);
  PluginRegistry again(config_for(dir.path(), {"good"}), upstream);
  EXPECT_HAS(status_of(again, "good").reason, ": plugin directory must be owned by root or uid 0 (owned by uid 65534)");
}

// ------------------------------------------------------------------ never unloaded (P10)

TEST(PluginLoader, LibrariesStayLoadedForTheRegistrysLifetimeAndCloseAfterInstances) {
  // Copies so that no other test's handle keeps these files loaded.
  TempDir dir;
  const std::string good = dir.add_fixture("good", "good");
  const std::string bad_magic = dir.add_fixture("bad_magic", "bad_magic");
  const std::string create_fails = dir.add_fixture("create_fails", "create_fails");
  LogCapture logs({"plugin.good"});
  FakeUpstream upstream;
  {
    PluginRegistry registry(config_for(dir.path(), {"good", "bad_magic", "create_fails"}), upstream);
    EXPECT_EQ(status_of(registry, "good").state, PluginState::Loaded);
    EXPECT_TRUE(is_loaded(good));
    // Libraries refused after dlopen stay loaded too: their initialisers already ran.
    EXPECT_TRUE(is_loaded(bad_magic));
    EXPECT_TRUE(is_loaded(create_fails));
    // Using the plugin does not change that.
    auto adapter = registry.find("good");
    ASSERT_NE(adapter, nullptr);
    auto context = mdp::domain::CallContext::with_timeout(std::chrono::seconds(5));
    EXPECT_EQ(adapter->list_symbols(context).size(), 2u);
    adapter.reset();
    EXPECT_TRUE(is_loaded(good));
    EXPECT_FALSE(logs.channel().contains("fixture good destroyed"));
  }
  // destroy() ran (inside the plugin, so its library was still loaded), then it was closed.
  EXPECT_TRUE(logs.channel().contains("plugin.good|6|fixture good destroyed"));
  EXPECT_TRUE(becomes_unloaded(good));
  EXPECT_TRUE(becomes_unloaded(bad_magic));
  EXPECT_TRUE(becomes_unloaded(create_fails));
}

TEST(PluginLoader, AnAdapterHeldElsewhereKeepsItsLibraryLoaded) {
  TempDir dir;
  const std::string good = dir.add_fixture("good", "good");
  FakeUpstream upstream;
  std::shared_ptr<mdp::domain::ExchangeAdapter> adapter;
  {
    PluginRegistry registry(config_for(dir.path(), {"good"}), upstream);
    adapter = registry.find("good");
  }
  EXPECT_TRUE(is_loaded(good));
  auto context = mdp::domain::CallContext::with_timeout(std::chrono::seconds(5));
  EXPECT_EQ(adapter->list_symbols(context).size(), 2u);
  adapter.reset();
  EXPECT_TRUE(becomes_unloaded(good));
}

TEST(PluginLibrary, OpenExposesTheCheckedTable) {
  LoadPolicy policy;
  auto library = PluginLibrary::open(fixture_dir() + "///", "good", policy);
  EXPECT_EQ(library->id(), "good");
  EXPECT_EQ(library->path(), fixture_dir() + "/mdp-good.so");
  EXPECT_EQ(library->api().magic, MDP_PLUGIN_MAGIC);
  EXPECT_EQ(library->abi_major(), 1u);
  EXPECT_EQ(library->abi_minor(), 0u);
  EXPECT_EQ(library->descriptor().abi, "1.0");
  EXPECT_TRUE(is_valid_plugin_id("binance_futures"));
  EXPECT_TRUE(is_valid_plugin_id("a-b_0"));
  EXPECT_FALSE(is_valid_plugin_id(""));
  EXPECT_FALSE(is_valid_plugin_id(std::string(33, 'a')));
  EXPECT_FALSE(is_valid_plugin_id("a.b"));
  try {
    PluginLibrary::open(fixture_dir(), "bad_magic", policy);
    FAIL() << "bad_magic loaded";
  } catch (const PluginLoadError& e) {
    EXPECT_HAS(e.what(), "bad magic");
    EXPECT_NE(e.retained(), nullptr);  // the handle comes back so it is never closed early
  }
  try {
    PluginLibrary::open(fixture_dir(), "nope", policy);
    FAIL() << "missing file loaded";
  } catch (const PluginLoadError& e) {
    EXPECT_EQ(e.retained(), nullptr);  // nothing was opened
  }
}
