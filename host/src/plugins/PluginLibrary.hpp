// One plugin shared library, opened and checked before any plugin logic runs.
//
// The host builds the path itself as <plugin_dir>/mdp-<id>.so (never a bare name:
// Boost.DLL would search the working directory), refuses files that resolve outside the
// plugin directory or that someone other than root/the service user could have written
// (sudo's rule), opens it with RTLD_NOW | RTLD_LOCAL (never Boost.DLL's default
// RTLD_LAZY, which turns an unresolved symbol into a host crash at call time), and then
// checks the entry point, magic, ABI version, table size, required functions and the
// descriptor, in that order, each with its own message naming the file.
//
// A library is never unloaded while anything uses it: adapters hold a shared_ptr to it,
// and a library that failed a check after dlopen is handed back inside the
// PluginLoadError (retained()) so the registry can keep it loaded too.
//
// thread: open() runs on the loader thread; a loaded PluginLibrary is immutable.
#pragma once

#include <mdp/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "ExchangeAdapter.hpp"

namespace mdp::plugins {

// Bytes the ABI 1.0 fields occupy; a plugin's struct_size is never smaller.
inline constexpr std::size_t kPluginApiV1Size = offsetof(mdp_plugin_api, fetch_candles) + sizeof(void*);
inline constexpr std::size_t kDescriptorV1Size = offsetof(mdp_plugin_descriptor, interval_stride) + sizeof(std::size_t);
inline constexpr std::size_t kIntervalV1Size = offsetof(mdp_interval_support, page_cap) + sizeof(std::uint32_t);
// Largest page the host accepts from a descriptor (bounds what one call may emit).
inline constexpr std::uint32_t kMaxPageCap = 100'000;
// Caps on descriptor text, read with strnlen: a plugin's strings are never trusted.
inline constexpr std::size_t kMaxPluginIdLength = 32;
inline constexpr std::size_t kMaxPluginNameLength = 128;
inline constexpr std::size_t kMaxPluginVersionLength = 64;
inline constexpr std::size_t kMaxNativeIntervalLength = 32;

// True when `id` matches [a-z0-9_-]{1,32}.
bool is_valid_plugin_id(std::string_view id) noexcept;

// Why a plugin was refused. The message names the file (or the config entry) and the rule.
class PluginLoadError : public std::runtime_error {
 public:
  explicit PluginLoadError(const std::string& message, std::shared_ptr<const void> retained = nullptr)
      : std::runtime_error(message), retained_(std::move(retained)) {}
  // The dlopen'ed library when the failure came after dlopen (null before). Keep it alive:
  // its initialisers already ran, so it is never unloaded while the host runs.
  const std::shared_ptr<const void>& retained() const noexcept { return retained_; }

 private:
  std::shared_ptr<const void> retained_;
};

struct LoadPolicy {
  // sudo's rule on the plugin file and the directories up to plugin_dir: owned by root or
  // the current uid, not writable by group or others. Only dev setups may turn it off.
  bool check_file_permissions = true;
  // Path of an already-loaded plugin with this descriptor id, or nullopt. Refuses
  // duplicates ("already loaded") before the configured-id comparison.
  std::function<std::optional<std::string>(const std::string& id)> already_loaded;
};

class PluginLibrary {
 public:
  // Opens <plugin_dir>/mdp-<id>.so and runs every load check in order. Throws
  // PluginLoadError with a precise message on the first failed check.
  static std::shared_ptr<const PluginLibrary> open(const std::string& plugin_dir, const std::string& id,
                                                   const LoadPolicy& policy = {});

  ~PluginLibrary();  // dlclose: only once nothing (adapter, registry) references it
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const std::string& id() const noexcept { return descriptor_.id; }
  // The path the host built (<plugin_dir>/mdp-<id>.so) and the file it resolved to.
  const std::string& path() const noexcept { return path_; }
  const std::string& resolved_path() const noexcept { return resolved_path_; }
  // The host's own copy of the plugin table: min(struct_size, sizeof) bytes, zero-filled.
  const mdp_plugin_api& api() const noexcept { return api_; }
  // The validated descriptor, copied out of the plugin (abi = "major.minor").
  const domain::ExchangeDescriptor& descriptor() const noexcept { return descriptor_; }
  std::uint32_t abi_major() const noexcept { return api_.abi_major; }
  std::uint32_t abi_minor() const noexcept { return api_.abi_minor; }

  struct Handle;  // Boost.DLL shared_library, kept out of this header

 private:
  PluginLibrary() = default;

  std::shared_ptr<Handle> handle_;
  std::string path_;
  std::string resolved_path_;
  mdp_plugin_api api_{};
  domain::ExchangeDescriptor descriptor_;
};

}  // namespace mdp::plugins
