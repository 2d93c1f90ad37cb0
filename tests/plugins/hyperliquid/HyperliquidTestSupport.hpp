// Small helpers shared by the Hyperliquid tests: fixture loading and exact decimal
// comparison on canonical text (never through double).
#pragma once

#include "ScriptedHost.hpp"

#include <cstdlib>
#include <string>
#include <string_view>

namespace hyperliquid_test {

// The built mdp-hyperliquid.so: $MDP_PLUGIN_BUILD_DIR/mdp-hyperliquid.so when the variable is
// set, else the path CMake compiled in (see tests/plugins/hyperliquid/CMakeLists.txt).
inline std::string plugin_so_path() {
#ifdef MDP_HYPERLIQUID_SO
  if (std::getenv("MDP_PLUGIN_BUILD_DIR") == nullptr) return MDP_HYPERLIQUID_SO;
#endif
  return mdp::testing::built_plugin_path("hyperliquid");
}

inline std::string fixture(const std::string& name) {
  return mdp::testing::read_source_file("tests/fixtures/hyperliquid/" + name);
}

// The exchange's decimal text with its fractional trailing zeros (and a bare '.') removed:
// "36500.0" → "36500", "0.98639" → "0.98639", "520665683.0" → "520665683".
inline std::string strip_trailing_zeros(std::string_view text) {
  std::string out(text);
  if (out.find('.') == std::string::npos) return out;
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// Three-way comparison of two canonical decimals (-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?).
inline int compare_decimal(std::string_view a, std::string_view b) {
  const bool neg_a = !a.empty() && a[0] == '-';
  const bool neg_b = !b.empty() && b[0] == '-';
  if (neg_a != neg_b) return neg_a ? -1 : 1;
  if (neg_a) return -compare_decimal(a.substr(1), b.substr(1));
  const std::size_t dot_a = a.find('.');
  const std::size_t dot_b = b.find('.');
  const std::string_view int_a = a.substr(0, dot_a);
  const std::string_view int_b = b.substr(0, dot_b);
  if (int_a.size() != int_b.size()) return int_a.size() < int_b.size() ? -1 : 1;
  if (int_a != int_b) return int_a < int_b ? -1 : 1;
  const std::string_view frac_a = dot_a == std::string_view::npos ? std::string_view() : a.substr(dot_a + 1);
  const std::string_view frac_b = dot_b == std::string_view::npos ? std::string_view() : b.substr(dot_b + 1);
  const std::size_t n = frac_a.size() > frac_b.size() ? frac_a.size() : frac_b.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char da = i < frac_a.size() ? frac_a[i] : '0';
    const char db = i < frac_b.size() ? frac_b[i] : '0';
    if (da != db) return da < db ? -1 : 1;
  }
  return 0;
}

}  // namespace hyperliquid_test
