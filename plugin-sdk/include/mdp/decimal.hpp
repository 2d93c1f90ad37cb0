// Canonical decimal text, shared by plugins and the host (header-only, no allocation
// beyond the output string). The canonical grammar is -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?:
// no plus sign, no leading zeros, no trailing fractional zeros, no exponent, no "-0".
// A canonical value is at most kMaxDecimalInput characters long, so everything
// to_canonical_decimal produces passes is_canonical_decimal (the host's check).
//
// Two entry points give the same answers on every input:
// - to_canonical_decimal: the reference (a plain byte-by-byte reading of the grammar);
// - append_canonical_decimal / assign_canonical_decimal: the fast path parsers call per value.
//   Plain text -?[0-9]+(\.[0-9]+)? (what exchanges send) is checked and copied 8 bytes at a
//   time; anything else (exponent, '+', junk) goes to the reference.
#ifndef MDP_DECIMAL_HPP
#define MDP_DECIMAL_HPP

#include <cstddef>
#include <cstdint>
#include <cstring>
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

namespace detail {

// Word-at-a-time helpers of append_canonical_decimal. A word holds 8 text bytes, byte k of
// the text in bits 8k..8k+7 whatever the machine's byte order; a "mask" has the high bit of
// byte k set when byte k has the property.
inline constexpr std::uint64_t kByteOnes = 0x0101010101010101ULL;
inline constexpr std::uint64_t kByteHighs = 0x8080808080808080ULL;

inline std::uint64_t load_word(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

// Bytes that are not ASCII digits. After xor with '0' a digit is 0..9; adding 0x76 to the low
// 7 bits sets bit 7 exactly for 10..127 (no carry leaves the byte), and `| t` adds 128..255.
inline std::uint64_t non_digit_mask(std::uint64_t w) noexcept {
  const std::uint64_t t = w ^ (kByteOnes * '0');
  return (((t & ~kByteHighs) + kByteOnes * 0x76) | t) & kByteHighs;
}

// Bytes that are not the character '0' (same trick with 0x7f: bit 7 set for 1..255).
inline std::uint64_t non_zero_char_mask(std::uint64_t w) noexcept {
  const std::uint64_t t = w ^ (kByteOnes * '0');
  return (((t & ~kByteHighs) + ~kByteHighs) | t) & kByteHighs;
}

// Index of the first / last byte set in a non-zero mask.
inline std::size_t first_byte(std::uint64_t mask) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(__builtin_ctzll(mask)) >> 3;
#else
  std::size_t k = 0;
  while ((mask & 0x80u) == 0) mask >>= 8, ++k;
  return k;
#endif
}
inline std::size_t last_byte(std::uint64_t mask) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  return static_cast<std::size_t>(63 - __builtin_clzll(mask)) >> 3;
#else
  std::size_t k = 7;
  while (((mask >> (8 * k)) & 0x80u) == 0) --k;
  return k;
#endif
}

// End of the run of ASCII digits of p[0, n) that starts at i.
inline std::size_t digit_run_end(const char* p, std::size_t i, std::size_t n) noexcept {
  for (; n - i >= 8; i += 8) {
    const std::uint64_t m = non_digit_mask(load_word(p + i));
    if (m != 0) return i + first_byte(m);
  }
  if (i == n) return n;
  const std::size_t k = n - i;  // 1..7 bytes left
  std::uint64_t w;
  if (n >= 8) {
    w = load_word(p + n - 8) >> (8 * (8 - k));  // the last 8 bytes, shifted: zero bytes follow
  } else {
    char buffer[8] = {};
    std::memcpy(buffer, p + i, k);
    w = load_word(buffer);
  }
  return i + first_byte(non_digit_mask(w));  // a zero byte (not a digit) at k at the latest
}

// Copies n bytes in 8-byte words (the last word overlaps the previous one).
inline void copy_words(char* out, const char* in, std::size_t n) noexcept {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 <= n; i += 8) std::memcpy(out + i, in + i, 8);
    std::memcpy(out + n - 8, in + n - 8, 8);
  } else if (n >= 4) {
    std::memcpy(out, in, 4);
    std::memcpy(out + n - 4, in + n - 4, 4);
  } else {
    for (std::size_t i = 0; i < n; ++i) out[i] = in[i];
  }
}

// Everything that is not plain -?[0-9]+(\.[0-9]+)?: the reference decides.
inline bool append_canonical_decimal_general(std::string_view in, std::string& out) {
  if (out.empty()) {
    if (to_canonical_decimal(in, out)) return true;
    out.clear();
    return false;
  }
  std::string tail;
  if (!to_canonical_decimal(in, tail)) return false;
  out += tail;
  return true;
}

}  // namespace detail

// The fast path: appends the canonical text of `in` to `out` and returns true, or returns
// false and leaves `out` as it was. Accepts exactly what to_canonical_decimal accepts and
// produces exactly its text. Plain input -?[0-9]+(\.[0-9]+)? never allocates beyond growing
// `out` (a reused string or one whose value fits the small-string buffer does not allocate).
inline bool append_canonical_decimal(std::string_view in, std::string& out) {
  const char* p = in.data();
  const std::size_t n = in.size();
  if (n == 0 || n > kMaxDecimalInput) return false;
  const std::size_t int_begin = p[0] == '-' ? 1 : 0;
  const std::size_t int_end = detail::digit_run_end(p, int_begin, n);
  if (int_end == int_begin) return detail::append_canonical_decimal_general(in, out);
  std::size_t end = int_end;  // end of the canonical text in `in`
  if (int_end != n) {
    if (p[int_end] != '.') return detail::append_canonical_decimal_general(in, out);
    const std::size_t frac_end = detail::digit_run_end(p, int_end + 1, n);
    if (frac_end != n || frac_end == int_end + 1) return detail::append_canonical_decimal_general(in, out);
    // Cut trailing '0's: the last byte that is not '0' lies in [int_end, n) because the '.'
    // at int_end is one. A window of 8 zeros lies wholly in the fraction.
    end = n;
    for (;;) {
      if (end < 8) {
        while (p[end - 1] == '0') --end;
        break;
      }
      const std::uint64_t m = detail::non_zero_char_mask(detail::load_word(p + end - 8));
      if (m != 0) {
        end = end - 8 + detail::last_byte(m) + 1;
        break;
      }
      end -= 8;
    }
    if (end == int_end + 1) end = int_end;  // all-zero fraction: drop it with its '.'
  }
  std::size_t begin = int_begin;
  while (begin + 1 < int_end && p[begin] == '0') ++begin;  // keep one digit before the point
  if (p[begin] == '0' && end == int_end) {  // zero, whatever its sign
    out.push_back('0');
    return true;
  }
  const std::size_t sign = int_begin;  // 1 when negative
  const std::size_t size = out.size();
  out.resize(size + sign + (end - begin));
  char* q = &out[size];
  if (sign != 0) *q++ = '-';
  detail::copy_words(q, p + begin, end - begin);
  return true;
}

// The fast path into a cleared `out` (its capacity kept). false: `out` is empty.
inline bool assign_canonical_decimal(std::string_view in, std::string& out) {
  out.clear();
  return append_canonical_decimal(in, out);
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
