// Helpers shared by the Coinbase plugin tests: fixture loading, exact decimal comparison
// (no double anywhere), error expectations.
#pragma once

#include <gtest/gtest.h>
#include <mdp/plugin.hpp>

#include "ScriptedHost.hpp"

#include <cstdlib>
#include <string>
#include <string_view>

namespace coinbase_test {

// Path of the built mdp-coinbase.so. Workaround: cmake/MdpTesting.cmake passes the three
// MDP_* variables as one flattened list, so ctest sets only MDP_SOURCE_DIR; when
// MDP_PLUGIN_BUILD_DIR is missing we fall back to the directory CMake compiled in.
inline std::string plugin_path() {
#ifdef COINBASE_PLUGIN_BUILD_DIR
  if (std::getenv("MDP_PLUGIN_BUILD_DIR") == nullptr) ::setenv("MDP_PLUGIN_BUILD_DIR", COINBASE_PLUGIN_BUILD_DIR, 0);
#endif
  return mdp::testing::built_plugin_path("coinbase");
}

// tests/fixtures/coinbase/<name>
inline std::string fixture(const std::string& name) {
  return mdp::testing::read_source_file("tests/fixtures/coinbase/" + name);
}

// The exchange's decimal text with trailing fractional zeros (and a bare '.') removed, so it
// can be compared with canonical text: "66420.00" -> "66420", "0.01000000" -> "0.01".
inline std::string strip_trailing_zeros(std::string_view raw) {
  std::string text(raw);
  if (text.find('.') != std::string::npos) {
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
  }
  return text;
}

// Compares two canonical decimals exactly: <0, 0, >0.
inline int compare_decimal(std::string_view a, std::string_view b) {
  const bool neg_a = !a.empty() && a[0] == '-';
  const bool neg_b = !b.empty() && b[0] == '-';
  if (neg_a != neg_b) return neg_a ? -1 : 1;
  if (neg_a) return compare_decimal(b.substr(1), a.substr(1));
  const auto split = [](std::string_view s, std::string_view& i, std::string_view& f) {
    const auto dot = s.find('.');
    i = s.substr(0, dot);
    f = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  };
  std::string_view ia, fa, ib, fb;
  split(a, ia, fa);
  split(b, ib, fb);
  if (ia.size() != ib.size()) return ia.size() < ib.size() ? -1 : 1;
  if (const int c = ia.compare(ib); c != 0) return c < 0 ? -1 : 1;
  const std::size_t n = fa.size() > fb.size() ? fa.size() : fb.size();
  for (std::size_t k = 0; k < n; ++k) {
    const char ca = k < fa.size() ? fa[k] : '0';
    const char cb = k < fb.size() ? fb[k] : '0';
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

// Runs `body`, expects an mdp::sdk::Error with `status` whose message contains `needle`.
template <class Body>
void expect_error(Body&& body, mdp_status status, const std::string& needle) {
  try {
    body();
    ADD_FAILURE() << "expected an error with status " << status << " containing '" << needle << "'";
  } catch (const mdp::sdk::Error& e) {
    EXPECT_EQ(e.status(), status) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message '" << e.what() << "' does not contain '" << needle << "'";
  }
}

}  // namespace coinbase_test
