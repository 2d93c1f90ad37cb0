// mdp/decimal.hpp fast path (append_canonical_decimal / assign_canonical_decimal): the same
// accepted language and the same canonical text as the reference to_canonical_decimal on
// edge and generated inputs (every length modulo 8, every byte value at every offset, signs,
// leading/trailing zeros, long digit runs, embedded NUL), plus the append/assign contract.
#include <mdp/decimal.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string printable(std::string_view in) {
  std::string out = "'";
  for (char c : in) {
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
  return out + "' (" + std::to_string(in.size()) + " bytes)";
}

// Checks one input: the fast path agrees with the reference and the result is canonical.
void expect_same(std::string_view in) {
  std::string reference;
  const bool reference_ok = mdp::to_canonical_decimal(in, reference);
  std::string fast = "stale";
  const bool fast_ok = mdp::assign_canonical_decimal(in, fast);
  ASSERT_EQ(fast_ok, reference_ok) << printable(in);
  if (!reference_ok) {
    ASSERT_TRUE(fast.empty()) << printable(in);
    return;
  }
  ASSERT_EQ(fast, reference) << printable(in);
  ASSERT_TRUE(mdp::is_canonical_decimal(fast)) << printable(in);
}

std::string digits(std::mt19937& rng, std::size_t n, const char* alphabet = "0123456789") {
  const std::string_view a(alphabet);
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(a[rng() % a.size()]);
  return out;
}

TEST(PluginSdkDecimalFast, EdgeCasesMatchTheReference) {
  const std::vector<std::string> inputs = {
      "", "0", "-0", "00", "-00", "0.0", "-0.0", "0.000", "-0.000", "000.000", ".", "-.", "-", "+", "+1", "+0",
      "--1", "-+1", "1", "-1", "10", "100", "007", "-007", "007.50", "-00.5", "0.10", "0.5", "-0.5", ".5", "-.5",
      "5.", "-5.", "1.2.3", "1..2", "1e5", "1E-05", "2.5e-3", "-1.50e+2", "1e", "1e+", "1e41", "0x1", "NaN",
      "inf", "1 ", " 1", "1,5", "12a", "0.00000001", "0.00100000", "66420.00", "66020.22", "0.70949541",
      "102325.60", "100.000", "0.00010", "0.0000001", "-1.50", "-00.50", "4133404800", "42150.00", "9.99999999", "99999999999999999999.99999999999999999990",
      "123456789012345678901234567890.000100", "0.0000000000000000000000001", "10000000000000000000000000000",
      "1.0000000000000000000000000000", "00000000000000000000000000001.1", "-00000000000000000000.000000000000",
      std::string(128, '1'), std::string(129, '1'), std::string(128, '0'), "-" + std::string(127, '9'),
      "-" + std::string(128, '9'), std::string(64, '1') + "." + std::string(63, '0'),
      std::string(64, '0') + "." + std::string(63, '0'), std::string(1, '\0'), std::string("1\0", 2),
      std::string("\0" "1", 2), std::string("12345678\0", 9), std::string("1.5\0", 4), std::string("1.\0005", 4),
      "/", ":", "1/", "1:", "0.1/", "0.1:", "12345678/", "12345678:", "1234567.", "12345678.9", "0.12345670",
  };
  for (const std::string& in : inputs) expect_same(in);
}

// Plain decimals of every integer and fraction length up to 40 (so every end offset modulo 8
// and every split of the point), with and without sign, leading zeros and trailing zeros.
TEST(PluginSdkDecimalFast, EveryShapeOfPlainDecimal) {
  std::mt19937 rng(11);
  for (std::size_t int_len = 1; int_len <= 40; ++int_len) {
    for (std::size_t frac_len = 0; frac_len <= 40; ++frac_len) {
      for (int variant = 0; variant < 8; ++variant) {
        std::string s = (variant & 1) ? "-" : "";
        std::string int_part = digits(rng, int_len);
        if (variant & 2) int_part = std::string(int_len, '0');  // zero integer part
        s += int_part;
        if (frac_len > 0) {
          std::string frac = digits(rng, frac_len);
          if (variant & 4) {  // trailing zeros, from some to all of the fraction
            const std::size_t z = 1 + rng() % frac_len;
            for (std::size_t k = frac_len - z; k < frac_len; ++k) frac[k] = '0';
          }
          s += "." + frac;
        }
        expect_same(s);
        expect_same(s + ".");
        expect_same(s + "e1");
      }
    }
  }
}

// Every byte value at every offset of plain decimals of lengths 1..24, in place of a digit and
// inserted after it (ASCII neighbours of the digits, '.', '-', NUL, bytes >= 0x80...).
TEST(PluginSdkDecimalFast, EveryByteAtEveryOffset) {
  const std::vector<std::string> bases = {"1", "12", "123.4", "0.00120", "66020.22", "123456789",
                                          "1234567.8901", "0.000000000000001", "98765432109876543210.1",
                                          "-1234567.123456780"};
  for (const std::string& base : bases) {
    for (std::size_t at = 0; at <= base.size(); ++at) {
      for (int b = 0; b < 256; ++b) {
        const char c = static_cast<char>(b);
        if (at < base.size()) {
          std::string replaced = base;
          replaced[at] = c;
          expect_same(replaced);
        }
        std::string inserted = base;
        inserted.insert(inserted.begin() + static_cast<std::ptrdiff_t>(at), c);
        expect_same(inserted);
      }
    }
  }
}

TEST(PluginSdkDecimalFast, RandomTextMatchesTheReference) {
  std::mt19937 rng(20261125);
  const std::string alphabet = std::string("0123456789000000-.eE+ /:") + '\0' + "\x80\xff";
  for (int k = 0; k < 300000; ++k) {
    const std::size_t len = (k % 10 == 0) ? rng() % 140 : rng() % 24;
    expect_same(digits(rng, len, alphabet.c_str() /* the part before the NUL */));
    std::string s;
    for (std::size_t j = 0; j < len; ++j) s.push_back(alphabet[rng() % alphabet.size()]);
    expect_same(s);
  }
}

TEST(PluginSdkDecimalFast, RandomDecimalsMatchTheReference) {
  std::mt19937 rng(7);
  for (int k = 0; k < 200000; ++k) {
    std::string s = (rng() % 4 == 0) ? "-" : "";
    s += std::string(rng() % 3 == 0 ? rng() % 12 : 0, '0');
    s += digits(rng, 1 + rng() % (k % 20 == 0 ? 70 : 12));
    if (rng() % 3 != 0) {
      s += "." + digits(rng, 1 + rng() % (k % 20 == 0 ? 70 : 12));
      s += std::string(rng() % 2 == 0 ? rng() % 20 : 0, '0');
    }
    expect_same(s);
  }
}

// The view's end is where the input ends, whatever bytes follow it in memory.
TEST(PluginSdkDecimalFast, ReadsNothingBeyondTheView) {
  const std::string memory = "0012345678.1234567800000000999999999999";
  for (std::size_t len = 0; len <= memory.size(); ++len) {
    for (std::size_t from = 0; from <= len; ++from) {
      expect_same(std::string_view(memory).substr(from, len - from));
    }
  }
  std::string out;
  ASSERT_TRUE(mdp::assign_canonical_decimal(std::string_view(memory.data(), 13), out));  // "0012345678.12"
  EXPECT_EQ(out, "12345678.12");
}

TEST(PluginSdkDecimalFast, AppendKeepsThePrefixAndLeavesItOnFailure) {
  std::string out = "x=";
  EXPECT_TRUE(mdp::append_canonical_decimal("0.50", out));
  EXPECT_EQ(out, "x=0.5");
  EXPECT_TRUE(mdp::append_canonical_decimal("1E-05", out));  // the reference's path
  EXPECT_EQ(out, "x=0.50.00001");
  EXPECT_TRUE(mdp::append_canonical_decimal("-0.000", out));
  EXPECT_EQ(out, "x=0.50.000010");
  for (const char* bad : {"", "1.", "+1", "1e99", "abc", "-"}) {
    std::string kept = "prefix";
    EXPECT_FALSE(mdp::append_canonical_decimal(bad, kept)) << bad;
    EXPECT_EQ(kept, "prefix") << bad;
  }
  std::string empty;
  EXPECT_FALSE(mdp::append_canonical_decimal("1e", empty));
  EXPECT_TRUE(empty.empty());
}

TEST(PluginSdkDecimalFast, AssignReplacesAndKeepsCapacity) {
  std::string out(100, 'z');
  const std::size_t capacity = out.capacity();
  EXPECT_TRUE(mdp::assign_canonical_decimal("068923.6700", out));
  EXPECT_EQ(out, "68923.67");
  EXPECT_EQ(out.capacity(), capacity);
  EXPECT_FALSE(mdp::assign_canonical_decimal("68923.67x", out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
