#include <gtest/gtest.h>

#include "DecimalCompare.hpp"

using mdp::plugins::compare_decimals;

TEST(DecimalCompare, OrdersCanonicalDecimalsExactly) {
  EXPECT_EQ(compare_decimals("0", "0"), 0);
  EXPECT_EQ(compare_decimals("1", "2"), -1);
  EXPECT_EQ(compare_decimals("10", "9"), 1);
  EXPECT_EQ(compare_decimals("9.99", "10"), -1);
  EXPECT_EQ(compare_decimals("100.5", "100.5"), 0);
  EXPECT_EQ(compare_decimals("100.5", "100.05"), 1);
  EXPECT_EQ(compare_decimals("0.1", "0.09999999999999999999"), 1);
  EXPECT_EQ(compare_decimals("0.3", "0.30000000000000001"), -1);  // a double could not tell
  EXPECT_EQ(compare_decimals("68923.67", "68923.671"), -1);
  EXPECT_EQ(compare_decimals("123456789012345678901234567890", "123456789012345678901234567891"), -1);
}

TEST(DecimalCompare, HandlesSigns) {
  EXPECT_EQ(compare_decimals("-1", "0"), -1);
  EXPECT_EQ(compare_decimals("0", "-0.5"), 1);
  EXPECT_EQ(compare_decimals("-1.5", "-1.25"), -1);
  EXPECT_EQ(compare_decimals("-2", "-10"), 1);
  EXPECT_EQ(compare_decimals("-37.63", "-37.63"), 0);
  EXPECT_EQ(compare_decimals("-0.001", "0.001"), -1);
}
