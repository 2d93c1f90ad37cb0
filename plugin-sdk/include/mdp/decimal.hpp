// Canonical decimal text, shared by plugins and the host (header-only, no allocation
// beyond the output string). The canonical grammar is -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?:
// no plus sign, no leading zeros, no trailing fractional zeros, no exponent, no "-0".
// A canonical value is at most kMaxDecimalInput characters long, so everything
// to_canonical_decimal produces passes is_canonical_decimal (the host's check).
#ifndef MDP_DECIMAL_HPP
#define MDP_DECIMAL_HPP

#include <cstddef>
#include <string>
#include <string_view>

namespace mdp {

// Longest input accepted, and longest canonical output produced; exchange decimals are far
// shorter. Caps work on hostile input.
inline constexpr std::size_t kMaxDecimalInput = 128;
// Largest exponent magnitude accepted in JSON number tokens such as 1.5e-7.
inline constexpr int kMaxDecimalExponent = 40;

// Turns an exchange's number text (a JSON number token or the content of a JSON string:
// "0.10", "68923.67", "1e-05", "-0.0") into canonical text, appended to `out` after
// clearing it. Returns false, leaving `out` unspecified, when the text is not a decimal
// number (empty, sign only, "+1", ".5", "1.", "0x1", "NaN", spaces, too long...), when the
// exponent's magnitude exceeds kMaxDecimalExponent, or when the canonical form would be
// longer than kMaxDecimalInput (e.g. a 100-digit mantissa with e+40).
inline bool to_canonical_decimal(std::string_view in, std::string& out) {
  out.clear();
  if (in.empty() || in.size() > kMaxDecimalInput) return false;
  std::size_t i = 0;
  bool negative = false;
  if (in[i] == '-') {
    negative = true;
    ++i;
  }
  // Integer part: at least one digit (JSON does not allow "01"; exchanges' string values
  // sometimes do, so leading zeros are tolerated and stripped).
  const std::size_t int_begin = i;
  while (i < in.size() && in[i] >= '0' && in[i] <= '9') ++i;
  const std::size_t int_end = i;
  if (int_end == int_begin) return false;
  std::size_t frac_begin = i, frac_end = i;
  if (i < in.size() && in[i] == '.') {
    ++i;
    frac_begin = i;
    while (i < in.size() && in[i] >= '0' && in[i] <= '9') ++i;
    frac_end = i;
    if (frac_end == frac_begin) return false;
  }
  int exponent = 0;
  if (i < in.size() && (in[i] == 'e' || in[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < in.size() && (in[i] == '+' || in[i] == '-')) {
      exp_negative = in[i] == '-';
      ++i;
    }
    const std::size_t exp_begin = i;
    while (i < in.size() && in[i] >= '0' && in[i] <= '9') {
      exponent = exponent * 10 + (in[i] - '0');
      if (exponent > kMaxDecimalExponent) return false;
      ++i;
    }
    if (i == exp_begin) return false;
    if (exp_negative) exponent = -exponent;
  }
  if (i != in.size()) return false;

  // All significant digits in one run: int digits then fraction digits. The decimal
  // point sits after `point` digits of that run (may be negative or beyond the end).
  std::string_view int_digits = in.substr(int_begin, int_end - int_begin);
  std::string_view frac_digits = in.substr(frac_begin, frac_end - frac_begin);
  char digits[kMaxDecimalInput];
  std::size_t n = 0;
  for (char c : int_digits) digits[n++] = c;
  for (char c : frac_digits) digits[n++] = c;
  long point = static_cast<long>(int_digits.size()) + exponent;
  // Strip leading zeros (they move the point left relative to the run start).
  std::size_t lead = 0;
  while (lead < n && digits[lead] == '0') ++lead;
  // Strip trailing zeros that are after the point.
  std::size_t end = n;
  while (end > lead && digits[end - 1] == '0' && static_cast<long>(end) > point) --end;
  if (lead == end) {  // the value is zero
    out.push_back('0');
    return true;
  }
  if (negative) out.push_back('-');
  const long first = static_cast<long>(lead);
  const long last = static_cast<long>(end);  // exclusive
  if (point <= first) {
    out.append("0.");
    out.append(static_cast<std::size_t>(first - point), '0');
    out.append(digits + lead, digits + end);
  } else if (point >= last) {
    out.append(digits + lead, digits + end);
    out.append(static_cast<std::size_t>(point - last), '0');
  } else {
    out.append(digits + lead, digits + point);
    out.push_back('.');
    out.append(digits + point, digits + end);
  }
  // An exponent can lengthen the text (1e40 has 41 digits); keep the output within what
  // is_canonical_decimal accepts so the plugin's value never fails the host's check.
  return out.size() <= kMaxDecimalInput;
}

// True when `text` is already canonical (what the host checks on every plugin value).
inline bool is_canonical_decimal(std::string_view text) {
  if (text.empty() || text.size() > kMaxDecimalInput) return false;
  std::size_t i = 0;
  if (text[0] == '-') i = 1;
  if (i >= text.size()) return false;
  if (text[i] == '0') {
    ++i;
  } else if (text[i] >= '1' && text[i] <= '9') {
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  } else {
    return false;
  }
  if (i == text.size()) return !(text[0] == '-' && text == "-0");
  if (text[i] != '.') return false;
  ++i;
  if (i == text.size()) return false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i != text.size()) return false;
  if (text.back() == '0') return false;
  // "-0.000..." cannot occur: the fraction ends in a non-zero digit, so the value is non-zero.
  return true;
}

}  // namespace mdp

#endif  // MDP_DECIMAL_HPP
