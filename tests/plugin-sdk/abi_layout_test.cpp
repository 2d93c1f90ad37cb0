// plugin_abi.h compiled as C++17 with the same layout static_asserts as the C11 unit, plus
// runtime checks that the C and C++ compilers agree on every offset and size, and that a
// plugin table written in C is callable from C++.
#include <mdp/plugin_abi.h>  // first: the header must be self-contained in C++ as well

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "abi_c_side.h"

#if defined(__x86_64__) && defined(__LP64__)
#define MDP_LAYOUT_SIZE(T, n) static_assert(sizeof(T) == (n), "sizeof(" #T ") is not " #n);
#define MDP_LAYOUT_OFFSET(T, f, n) \
  static_assert(offsetof(T, f) == (n), "offsetof(" #T ", " #f ") is not " #n);
#include "abi_layout.inc"
#undef MDP_LAYOUT_SIZE
#undef MDP_LAYOUT_OFFSET
#endif

// Every struct is a C-compatible aggregate: no hidden constructor, vtable or reordering.
#define MDP_LAYOUT_SIZE(T, n)                                                       \
  static_assert(std::is_standard_layout<T>::value, #T " must be standard-layout"); \
  static_assert(std::is_trivially_copyable<T>::value, #T " must be trivially copyable");
#define MDP_LAYOUT_OFFSET(T, f, n)
#include "abi_layout.inc"
#undef MDP_LAYOUT_SIZE
#undef MDP_LAYOUT_OFFSET

static_assert(offsetof(mdp_plugin_api, magic) == 0, "the plugin table starts with its magic");
static_assert(offsetof(mdp_plugin_api, struct_size) == 4, "then its struct_size");
static_assert(sizeof(bool) == 1, "bool crosses the ABI as one byte");
static_assert(std::is_same<mdp_status, std::int32_t>::value, "mdp_status is int32_t");
static_assert(MDP_STATUS_MAX == MDP_E_OUT_OF_BUDGET, "MDP_STATUS_MAX names the highest status");

namespace {

struct Entry {
  std::string type, field;
  std::size_t value;
};

std::vector<Entry> cpp_layout() {
  std::vector<Entry> out;
#define MDP_LAYOUT_SIZE(T, n) out.push_back({#T, "", sizeof(T)});
#define MDP_LAYOUT_OFFSET(T, f, n) out.push_back({#T, #f, offsetof(T, f)});
#include "abi_layout.inc"
#undef MDP_LAYOUT_SIZE
#undef MDP_LAYOUT_OFFSET
  return out;
}

TEST(PluginSdkAbiLayout, CAndCppCompilersAgreeOnEveryOffsetAndSize) {
  std::size_t count = 0;
  const mdp_test_layout_entry* c = mdp_test_c_layout(&count);
  const std::vector<Entry> cpp = cpp_layout();
  ASSERT_EQ(count, cpp.size());
  for (std::size_t i = 0; i < count; ++i) {
    const std::string what = cpp[i].field.empty() ? "sizeof(" + cpp[i].type + ")"
                                                  : "offsetof(" + cpp[i].type + ", " + cpp[i].field + ")";
    EXPECT_EQ(cpp[i].type, c[i].type);
    EXPECT_EQ(cpp[i].field, c[i].field);
    EXPECT_EQ(cpp[i].value, c[i].value) << what << ": C says " << c[i].value << ", C++ says " << cpp[i].value;
  }
}

TEST(PluginSdkAbiLayout, EveryVersionedStructStartsWithStructSize) {
  // Those with a struct_size field have it at offset 0 (the plugin table: right after magic).
  for (const Entry& e : cpp_layout()) {
    if (e.field == "struct_size" && e.type != "mdp_plugin_api") {
      EXPECT_EQ(e.value, 0u) << e.type;
    }
  }
}

TEST(PluginSdkAbiLayout, PluginTableWrittenInCIsUsableFromCpp) {
  const mdp_plugin_api* api = mdp_test_c_plugin_api();
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->magic, MDP_PLUGIN_MAGIC);
  EXPECT_EQ(api->struct_size, sizeof(mdp_plugin_api));
  EXPECT_EQ(api->abi_major, MDP_ABI_MAJOR);
  EXPECT_EQ(api->abi_minor, MDP_ABI_MINOR);
  ASSERT_NE(api->descriptor, nullptr);
  EXPECT_STREQ(api->descriptor->id, "c_plugin");
  ASSERT_EQ(api->descriptor->interval_count, 1u);
  EXPECT_STREQ(api->descriptor->intervals[0].interval, "1d");

  char buffer[32] = {0};
  mdp_error err{sizeof(mdp_error), buffer, sizeof buffer, -1, 0};
  mdp_plugin* plugin = reinterpret_cast<mdp_plugin*>(&err);  // any non-NULL garbage
  EXPECT_EQ(api->create(nullptr, nullptr, nullptr, &plugin, &err), MDP_E_UNSUPPORTED);
  EXPECT_EQ(plugin, nullptr);
  EXPECT_STREQ(buffer, "the C plugin has no instances");

  struct Seen {
    std::vector<std::string> symbols;
    std::size_t stride = 0;
  } seen;
  mdp_symbol_sink sink{sizeof(mdp_symbol_sink), &seen,
                       [](void* ctx, const mdp_symbol* rows, std::size_t count, std::size_t stride) {
                         auto* s = static_cast<Seen*>(ctx);
                         s->stride = stride;
                         for (std::size_t i = 0; i < count; ++i) s->symbols.push_back(rows[i].symbol);
                         return static_cast<mdp_status>(MDP_OK);
                       }};
  EXPECT_EQ(api->list_symbols(nullptr, nullptr, &sink, &err), MDP_OK);
  EXPECT_EQ(seen.stride, sizeof(mdp_symbol));
  EXPECT_EQ(seen.symbols, std::vector<std::string>{"BTC/USD"});
}

}  // namespace
