#include "PluginLibrary.hpp"

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/dll/shared_library.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>

#include "Interval.hpp"
#include "PluginText.hpp"

namespace mdp::plugins {

struct PluginLibrary::Handle {
  boost::dll::shared_library library;
};

namespace {

// Sanity bounds for sizes read from a plugin, far above anything legitimate, so a corrupt
// value is reported instead of driving reads through the plugin's memory.
constexpr std::size_t kMaxDescriptorSize = 64 * 1024;
constexpr std::size_t kMaxIntervalStride = 4096;
constexpr std::size_t kMaxIntervalCode = 8;

struct TableHeader {
  std::uint32_t magic;
  std::uint32_t struct_size;
  std::uint32_t abi_major;
  std::uint32_t abi_minor;
};
static_assert(offsetof(mdp_plugin_api, magic) == offsetof(TableHeader, magic));
static_assert(offsetof(mdp_plugin_api, struct_size) == offsetof(TableHeader, struct_size));
static_assert(offsetof(mdp_plugin_api, abi_major) == offsetof(TableHeader, abi_major));
static_assert(offsetof(mdp_plugin_api, abi_minor) == offsetof(TableHeader, abi_minor));

[[noreturn]] void refuse(const std::string& message, std::shared_ptr<const void> retained = nullptr) {
  throw PluginLoadError(message, std::move(retained));
}

std::string errno_text(int err) { return std::strerror(err); }

std::string resolve(const std::string& path, int& err) {
  err = 0;
  std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
  if (!real) {
    err = errno;
    return {};
  }
  return real.get();
}

std::string octal_mode(mode_t mode) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0%03o", static_cast<unsigned>(mode & 07777));
  return buffer;
}

// sudo's rule: owned by root or the current uid, writable by nobody else.
void check_owner_and_mode(const std::string& path, const char* what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) refuse(path + ": cannot stat " + what + ": " + errno_text(errno));
  const uid_t me = ::geteuid();
  if (st.st_uid != 0 && st.st_uid != me) {
    refuse(path + ": " + what + " must be owned by root or uid " + std::to_string(me) + " (owned by uid " +
           std::to_string(st.st_uid) + ")");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    refuse(path + ": " + what + " must be only writable by its owner (mode " + octal_mode(st.st_mode) +
           " is group- or world-writable)");
  }
}

std::string catalogue_codes() {
  std::string codes;
  for (const domain::Interval& interval : domain::interval_catalogue()) {
    if (!codes.empty()) codes += ' ';
    codes += interval.code;
  }
  return codes;
}

std::string checked_text(const char* value, std::size_t cap, const std::string& where, const char* field) {
  std::string_view view;
  const TextIssue issue = read_text(value, cap, view);
  if (issue == TextIssue::TooLong) {
    refuse(where + field + " is longer than " + std::to_string(cap) + " bytes (or not NUL-terminated)");
  }
  if (issue != TextIssue::None) refuse(where + field + " " + describe(issue));
  if (view.empty()) refuse(where + field + " is empty");
  return std::string(view);
}

}  // namespace

bool is_valid_plugin_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > kMaxPluginIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

PluginLibrary::~PluginLibrary() = default;

std::shared_ptr<const PluginLibrary> PluginLibrary::open(const std::string& plugin_dir, const std::string& id,
                                                         const LoadPolicy& policy) {
  const std::string who = "plugin '" + sanitize(id, 64) + "': ";

  // ---- 1. where the file may come from (before anything is opened)
  if (plugin_dir.empty()) refuse(who + "plugin_dir is not configured");
  if (plugin_dir[0] != '/') refuse(who + "plugin_dir '" + sanitize(plugin_dir, 256) + "' is not an absolute path");
  if (!is_valid_plugin_id(id)) refuse(who + "invalid plugin id: must match [a-z0-9_-]{1,32}");

  std::string dir = plugin_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  const std::string path = (dir == "/" ? std::string() : dir) + "/mdp-" + id + ".so";

  int err = 0;
  const std::string real_dir = resolve(dir, err);
  if (real_dir.empty()) refuse(who + "plugin_dir '" + dir + "' cannot be resolved: " + errno_text(err));
  struct stat st {};
  if (::stat(real_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    refuse(who + "plugin_dir '" + dir + "' is not a directory");
  }
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) refuse(path + ": plugin file not found");
    refuse(path + ": cannot stat plugin file: " + errno_text(errno));
  }
  const std::string real_file = resolve(path, err);
  if (real_file.empty()) refuse(path + ": cannot be resolved (dangling symlink?): " + errno_text(err));
  const std::string inside = real_dir == "/" ? "/" : real_dir + "/";
  if (real_file.compare(0, inside.size(), inside) != 0) {
    refuse(path + ": resolves to '" + real_file + "', outside the plugin directory '" + real_dir + "'");
  }
  if (::stat(real_file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) refuse(path + ": not a regular file");

  // ---- 2. who could have written it (sudo's rule), file and every directory up to plugin_dir
  if (policy.check_file_permissions) {
    check_owner_and_mode(real_file, "plugin file");
    std::string parent = real_file.substr(0, real_file.rfind('/'));
    if (parent.empty()) parent = "/";
    while (true) {
      check_owner_and_mode(parent, "plugin directory");
      if (parent.size() <= real_dir.size()) break;
      parent = parent.substr(0, parent.rfind('/'));
    }
  }

  // ---- 3. dlopen, resolving every symbol now (Boost.DLL would default to RTLD_LAZY)
  auto handle = std::make_shared<Handle>();
  boost::dll::fs::error_code ec;
  ::dlerror();  // clear any stale error so the one reported is this load's
  handle->library.load(boost::dll::fs::path(real_file),
                       boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !handle->library.is_loaded()) {
    // Boost.DLL reports every dlopen failure as bad_file_descriptor; dlerror() has the reason.
    const char* why = ::dlerror();
    refuse(path + ": dlopen failed: " + (why != nullptr ? sanitize(why, 512) : ec.message()));
  }
  const std::shared_ptr<const void> retained = handle;

  // ---- 4. the entry point
  ::dlerror();
  void* symbol = ::dlsym(handle->library.native(), MDP_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    refuse(path + ": entry symbol '" MDP_PLUGIN_ENTRY_SYMBOL "' not found (not an MDP plugin?)", retained);
  }
  Dl_info info{};
  if (::dladdr(symbol, &info) != 0 && info.dli_fname != nullptr) {
    const std::string owner = resolve(info.dli_fname, err);
    if (!owner.empty() && owner != real_file) {
      refuse(path + ": entry symbol '" MDP_PLUGIN_ENTRY_SYMBOL "' is defined by another library (" + owner + ")",
             retained);
    }
  }
  mdp_plugin_entry_fn entry = nullptr;
  static_assert(sizeof(entry) == sizeof(symbol));
  std::memcpy(&entry, &symbol, sizeof entry);
  const mdp_plugin_api* table = nullptr;
  try {
    table = entry();
  } catch (...) {
    refuse(path + ": " MDP_PLUGIN_ENTRY_SYMBOL "() threw an exception", retained);
  }
  if (table == nullptr) refuse(path + ": " MDP_PLUGIN_ENTRY_SYMBOL "() returned NULL", retained);

  // ---- 5. magic, ABI version, table size (the fixed 16-byte header exists in every version)
  TableHeader header{};
  std::memcpy(&header, table, sizeof header);
  if (header.magic != MDP_PLUGIN_MAGIC) {
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "bad magic 0x%08X, expected 0x%08X ('MDPL'): not an MDP plugin table",
                  header.magic, static_cast<unsigned>(MDP_PLUGIN_MAGIC));
    refuse(path + ": " + buffer, retained);
  }
  if (header.abi_major != MDP_ABI_MAJOR) {
    refuse(path + ": built against ABI " + std::to_string(header.abi_major) + ", host supports " +
               std::to_string(MDP_ABI_MAJOR),
           retained);
  }
  if (header.abi_minor > MDP_ABI_MINOR) {
    refuse(path + ": built against ABI " + std::to_string(header.abi_major) + "." +
               std::to_string(header.abi_minor) + ", host supports up to " + std::to_string(MDP_ABI_MAJOR) +
               "." + std::to_string(MDP_ABI_MINOR),
           retained);
  }
  if (header.struct_size < kPluginApiV1Size) {
    refuse(path + ": plugin table struct_size " + std::to_string(header.struct_size) + " is smaller than the " +
               std::to_string(kPluginApiV1Size) + " bytes ABI 1.0 requires",
           retained);
  }
  std::shared_ptr<PluginLibrary> library(new PluginLibrary());
  std::memcpy(&library->api_, table, std::min<std::size_t>(header.struct_size, sizeof(mdp_plugin_api)));
  const mdp_plugin_api& api = library->api_;

  // ---- 6. required functions
  const std::pair<const char*, bool> functions[] = {{"create", api.create != nullptr},
                                                    {"destroy", api.destroy != nullptr},
                                                    {"list_symbols", api.list_symbols != nullptr},
                                                    {"fetch_candles", api.fetch_candles != nullptr}};
  for (const auto& [name, present] : functions) {
    if (!present) refuse(path + ": required function '" + name + "' is NULL", retained);
  }

  // ---- 7. the descriptor
  const std::string where = path + ": descriptor ";
  if (api.descriptor == nullptr) refuse(path + ": descriptor is NULL", retained);
  std::size_t descriptor_size = 0;
  std::memcpy(&descriptor_size, api.descriptor, sizeof descriptor_size);
  if (descriptor_size < kDescriptorV1Size) {
    refuse(where + "struct_size " + std::to_string(descriptor_size) + " is smaller than the " +
               std::to_string(kDescriptorV1Size) + " bytes ABI 1.0 requires",
           retained);
  }
  if (descriptor_size > kMaxDescriptorSize) {
    refuse(where + "struct_size " + std::to_string(descriptor_size) + " is implausible (corrupt descriptor?)",
           retained);
  }
  mdp_plugin_descriptor desc{};
  std::memcpy(&desc, api.descriptor, std::min(descriptor_size, sizeof desc));

  domain::ExchangeDescriptor& out = library->descriptor_;
  try {
    std::string_view id_view;
    const TextIssue id_issue = read_text(desc.id, kMaxPluginIdLength, id_view);
    if (id_issue == TextIssue::Null) refuse(where + "id is NULL", retained);
    if (id_issue != TextIssue::None || !is_valid_plugin_id(id_view)) {
      std::string_view raw;
      (void)read_bounded(desc.id, kMaxPluginIdLength + 1, raw);
      refuse(where + "id '" + sanitize(raw, 40) + "' is invalid: must match [a-z0-9_-]{1,32}", retained);
    }
    out.id = std::string(id_view);
    if (policy.already_loaded) {
      if (const auto other = policy.already_loaded(out.id)) {
        refuse(path + ": plugin id '" + out.id + "' is already loaded (from " + *other + ")", retained);
      }
    }
    if (out.id != id) {
      refuse(where + "id '" + out.id + "' does not match the configured id '" + id + "'", retained);
    }
    out.name = checked_text(desc.name, kMaxPluginNameLength, where, "name");
    out.version = checked_text(desc.version, kMaxPluginVersionLength, where, "version");
    out.abi = std::to_string(api.abi_major) + "." + std::to_string(api.abi_minor);

    const std::size_t catalogue_size = domain::interval_catalogue().size();
    if (desc.intervals == nullptr || desc.interval_count == 0) refuse(where + "lists no intervals", retained);
    if (desc.interval_count > catalogue_size) {
      refuse(where + "lists " + std::to_string(desc.interval_count) + " intervals, more than the " +
                 std::to_string(catalogue_size) + " in the canonical catalogue",
             retained);
    }
    if (desc.interval_stride < kIntervalV1Size) {
      refuse(where + "interval_stride " + std::to_string(desc.interval_stride) + " is smaller than the " +
                 std::to_string(kIntervalV1Size) + " bytes of an ABI 1.0 mdp_interval_support",
             retained);
    }
    if (desc.interval_stride > kMaxIntervalStride) {
      refuse(where + "interval_stride " + std::to_string(desc.interval_stride) + " is implausible", retained);
    }
    const auto* base = reinterpret_cast<const unsigned char*>(desc.intervals);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < desc.interval_count; ++i) {
      const std::string at = where + "interval #" + std::to_string(i) + " ";
      std::size_t entry_size = 0;
      std::memcpy(&entry_size, base + i * desc.interval_stride, sizeof entry_size);
      if (entry_size < kIntervalV1Size || entry_size > desc.interval_stride) {
        refuse(at + "struct_size " + std::to_string(entry_size) + " is outside [" + std::to_string(kIntervalV1Size) +
                   ", interval_stride " + std::to_string(desc.interval_stride) + "]",
               retained);
      }
      mdp_interval_support support{};
      std::memcpy(&support, base + i * desc.interval_stride, std::min(entry_size, sizeof support));
      std::string_view code;
      const TextIssue code_issue = read_text(support.interval, kMaxIntervalCode, code);
      if (code_issue != TextIssue::None) refuse(at + "code " + describe(code_issue), retained);
      if (!domain::find_interval(code)) {
        refuse(at + "code '" + sanitize(code, 16) + "' is not in the canonical catalogue (" + catalogue_codes() + ")",
               retained);
      }
      domain::ExchangeInterval interval;
      interval.interval = std::string(code);
      if (!seen.insert(interval.interval).second) {
        refuse(where + "lists interval '" + interval.interval + "' twice", retained);
      }
      const std::string named = where + "interval '" + interval.interval + "' ";
      interval.native_code = checked_text(support.native_code, kMaxNativeIntervalLength, named, "native_code");
      if (support.page_cap == 0) refuse(named + "has page_cap 0", retained);
      if (support.page_cap > kMaxPageCap) {
        refuse(named + "page_cap " + std::to_string(support.page_cap) + " exceeds the host's cap of " +
                   std::to_string(kMaxPageCap),
               retained);
      }
      interval.page_cap = support.page_cap;
      out.intervals.push_back(std::move(interval));
    }
  } catch (const PluginLoadError& e) {
    if (e.retained()) throw;
    throw PluginLoadError(e.what(), retained);  // checked_text() throws without the handle
  }

  library->handle_ = handle;
  library->path_ = path;
  library->resolved_path_ = real_file;
  return library;
}

}  // namespace mdp::plugins
