#include "DecimalText.hpp"

#include <stdexcept>

namespace mdp::bench {

void append_decimal(std::string& out, std::int64_t units, int decimals, Trailing trailing) {
  if (units < 0 || decimals < 0 || decimals > 18) throw std::invalid_argument("append_decimal: bad units/decimals");
  std::string digits = std::to_string(units);
  const auto width = static_cast<std::size_t>(decimals);
  if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
  const std::size_t point = digits.size() - width;
  std::size_t end = digits.size();
  if (trailing != Trailing::Keep) {
    const std::size_t keep = trailing == Trailing::KeepOne ? point + 1 : point;
    while (end > keep && digits[end - 1] == '0') --end;
  }
  out.append(digits, 0, point);
  if (end > point) {
    out.push_back('.');
    out.append(digits, point, end - point);
  } else if (trailing == Trailing::KeepOne) {
    out.append(".0");  // decimals == 0
  }
}

std::string decimal_text(std::int64_t units, int decimals, Trailing trailing) {
  std::string out;
  append_decimal(out, units, decimals, trailing);
  return out;
}

}  // namespace mdp::bench
