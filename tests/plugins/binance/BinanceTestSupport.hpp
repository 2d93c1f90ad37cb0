// Helpers shared by the Binance plugin tests: fixture access and exact decimal comparison
// (string-based, never through double).
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace binance_test {

// Workaround: cmake/MdpTesting.cmake passes the three ENVIRONMENT entries of
// gtest_discover_tests as separate values, so ctest sets only MDP_SOURCE_DIR. Our
// CMakeLists.txt compiles the directories in; they fill the variables ctest left unset.
inline bool fill_test_environment() {
#ifdef MDP_BINANCE_TEST_SOURCE_DIR
  ::setenv("MDP_SOURCE_DIR", MDP_BINANCE_TEST_SOURCE_DIR, 0);
#endif
#ifdef MDP_BINANCE_TEST_PLUGIN_DIR
  ::setenv("MDP_PLUGIN_BUILD_DIR", MDP_BINANCE_TEST_PLUGIN_DIR, 0);
#endif
  return true;
}
inline const bool kTestEnvironmentFilled = fill_test_environment();

inline std::string source_dir() {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  if (dir == nullptr) throw std::runtime_error("MDP_SOURCE_DIR is not set (run through ctest)");
  return dir;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// tests/fixtures/binance_futures/<name> (our own hand-written fixtures).
inline std::string fixture(const std::string& name) {
  return read_file(source_dir() + "/tests/fixtures/binance_futures/" + name);
}

// The exchange's text with trailing fractional zeros (and a bare trailing '.') removed:
// what the canonical form of an already well-formed decimal string must equal.
inline std::string strip_trailing_zeros(std::string_view raw) {
  std::string s(raw);
  if (s.find('.') == std::string::npos) return s;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Compares two canonical decimals exactly: <0, 0, >0 like strcmp.
inline int compare_decimal(std::string_view a, std::string_view b) {
  const bool na = !a.empty() && a[0] == '-';
  const bool nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  if (na) return -compare_decimal(a.substr(1), b.substr(1));
  const std::size_t da = a.find('.');
  const std::size_t db = b.find('.');
  const std::string_view ia = a.substr(0, da), ib = b.substr(0, db);
  if (ia.size() != ib.size()) return ia.size() < ib.size() ? -1 : 1;
  if (const int c = ia.compare(ib); c != 0) return c < 0 ? -1 : 1;
  std::string fa(da == std::string_view::npos ? std::string_view() : a.substr(da + 1));
  std::string fb(db == std::string_view::npos ? std::string_view() : b.substr(db + 1));
  const std::size_t n = fa.size() > fb.size() ? fa.size() : fb.size();
  fa.resize(n, '0');
  fb.resize(n, '0');
  const int c = fa.compare(fb);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace binance_test
