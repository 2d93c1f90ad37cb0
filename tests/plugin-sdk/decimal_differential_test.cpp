// Differential test of mdp/decimal.hpp against Python's decimal module: a table of 100 000
// generated strings (exponents, signs, leading zeros, 40+ digit runs, junk bytes), written at
// build time by decimal_reference_table.py (acceptance from the documented grammar, canonical
// text from decimal.Decimal's value) into the build dir. Both to_canonical_decimal and the fast
// path append_canonical_decimal / assign_canonical_decimal must give identical accept/reject
// and identical canonical text on every row.
#include <mdp/decimal.hpp>

#include <gtest/gtest.h>

#include <cstddef>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef MDP_DECIMAL_REFERENCE_TABLE
#error "MDP_DECIMAL_REFERENCE_TABLE (path of the generated table) must be defined"
#endif

namespace {

struct Row {
  std::string input;
  bool accept = false;
  std::string canonical;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<Row> load_table() {
  std::ifstream in(MDP_DECIMAL_REFERENCE_TABLE, std::ios::binary);
  std::vector<Row> rows;
  if (!in) return rows;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t space = line.find(' ');
    if (space == std::string::npos || space % 2 != 0) return {};
    Row row;
    for (std::size_t i = 0; i < space; i += 2) {
      const int high = hex_value(line[i]);
      const int low = hex_value(line[i + 1]);
      if (high < 0 || low < 0) return {};
      row.input.push_back(static_cast<char>(high * 16 + low));
    }
    const std::string_view expected = std::string_view(line).substr(space + 1);
    row.accept = expected != "reject";
    if (row.accept) row.canonical = std::string(expected);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string printable(std::string_view in) {
  std::string out = "'";
  for (const char c : in) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "'";
}

const std::vector<Row>& table() {
  static const std::vector<Row> rows = load_table();
  return rows;
}

constexpr std::size_t kMaxReported = 20;

TEST(PluginSdkDecimalDifferential, table_is_the_generated_one) {
  ASSERT_EQ(table().size(), 100000u) << "unreadable or malformed table " << MDP_DECIMAL_REFERENCE_TABLE;
  std::size_t accepted = 0, exponents = 0, long_runs = 0;
  for (const Row& row : table()) {
    accepted += row.accept ? 1 : 0;
    exponents += row.input.find_first_of("eE") != std::string::npos ? 1 : 0;
    long_runs += row.input.size() >= 40 ? 1 : 0;
  }
  // Both answers, exponents and long inputs are all well represented.
  EXPECT_GT(accepted, 50000u);
  EXPECT_GT(table().size() - accepted, 20000u);
  EXPECT_GT(exponents, 20000u);
  EXPECT_GT(long_runs, 10000u);
}

TEST(PluginSdkDecimalDifferential, to_canonical_decimal_matches_python_decimal) {
  ASSERT_FALSE(table().empty());
  std::size_t mismatches = 0;
  std::string out;
  for (const Row& row : table()) {
    const bool ok = mdp::to_canonical_decimal(row.input, out);
    if (ok != row.accept || (ok && out != row.canonical)) {
      if (++mismatches <= kMaxReported) {
        ADD_FAILURE() << printable(row.input) << ": expected " << (row.accept ? row.canonical : "reject")
                      << ", got " << (ok ? out : "reject");
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

TEST(PluginSdkDecimalDifferential, fast_path_matches_python_decimal) {
  ASSERT_FALSE(table().empty());
  std::size_t mismatches = 0;
  const std::string prefix = "x,";
  std::string appended, assigned;
  assigned.reserve(8);
  for (const Row& row : table()) {
    appended = prefix;
    const bool append_ok = mdp::append_canonical_decimal(row.input, appended);
    const bool assign_ok = mdp::assign_canonical_decimal(row.input, assigned);
    // On refusal append leaves `out` as it was and assign leaves it empty.
    const std::string expected_append = row.accept ? prefix + row.canonical : prefix;
    const std::string expected_assign = row.accept ? row.canonical : std::string();
    if (append_ok != row.accept || assign_ok != row.accept || appended != expected_append ||
        assigned != expected_assign) {
      if (++mismatches <= kMaxReported) {
        ADD_FAILURE() << printable(row.input) << ": expected " << (row.accept ? row.canonical : "reject")
                      << ", append gave " << (append_ok ? "true " : "false ") << printable(appended)
                      << ", assign gave " << (assign_ok ? "true " : "false ") << printable(assigned);
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
}

}  // namespace
