// Canonical decimal text, shared by plugins and the host (header-only, no allocation
// beyond the output string). The canonical grammar is -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?:
// no plus sign, no leading zeros, no trailing fractional zeros, no exponent, no "-0".
// A canonical value is at most kMaxDecimalInput characters long, so everything
// to_canonical_decimal produces passes is_canonical_decimal (the host's check).
//
// Two entry points give the same answers on every input:
// - to_canonical_decimal: the reference (a plain byte-by-byte reading of the grammar);
// - append_canonical_decimal / assign_canonical_decimal: the fast path parsers call per value.
//   Plain text -?[0-9]+(\.[0-9]+)? (what exchanges send) is checked 8 bytes at a time (values of
//   8 to 16 bytes: two overlapping words, no loop) and its canonical part appended with one
//   memcpy; anything else (exponent, '+', junk) goes to the reference.
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

// The fast path is small once the reference is out of line: inlined into a parser's loop it
// saves a call and the saving of registers per value (measured on Coinbase candles).
#if defined(__GNUC__) || defined(__clang__)
#define MDP_DECIMAL_HOT inline __attribute__((always_inline))
#else
#define MDP_DECIMAL_HOT inline
#endif

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
  if (n < 8) {  // a short input: bytes (a word built on the stack would stall the load)
    while (i < n && static_cast<unsigned char>(p[i] - '0') < 10) ++i;
    return i;
  }
  const std::size_t k = n - i;  // 1..7 bytes left: the last 8 bytes of the input, shifted
  const std::uint64_t w = load_word(p + n - 8) >> (8 * (8 - k));  // zero bytes come in on top
  return i + first_byte(non_digit_mask(w));  // a zero byte (not a digit) at k at the latest
}

// Plain text of 8 to 16 bytes (most exchange values) in two overlapping words and no loop:
// false unless `p` is -?[0-9]+(\.[0-9]+)?; else sets the end of the integer digits and the end
// of the canonical text (trailing fractional zeros and a bare '.' cut).
MDP_DECIMAL_HOT bool plain_extent_8_to_16(const char* p, std::size_t n, std::size_t int_begin, std::size_t& int_end,
                                 std::size_t& end) noexcept {
  const std::size_t base = n - 8;  // byte k of w1 is byte base + k of the text
  const std::uint64_t w0 = load_word(p);
  const std::uint64_t w1 = load_word(p + base);
  const std::uint64_t sign = static_cast<std::uint64_t>(int_begin) << 7;  // a '-' at byte 0 is allowed
  const std::uint64_t m0 = non_digit_mask(w0) & ~sign;
  const std::uint64_t m1 = non_digit_mask(w1) & ~(base == 0 ? sign : 0);
  if ((m0 | m1) == 0) {  // digits only
    int_end = end = n;
    return true;
  }
  // The first and the last non-digit must be one '.' with digits on both sides.
  const std::size_t first = m0 != 0 ? first_byte(m0) : base + first_byte(m1);
  const std::size_t last = m1 != 0 ? base + last_byte(m1) : last_byte(m0);
  if (first != last || p[first] != '.' || first == int_begin || first + 1 == n) return false;
  int_end = first;
  const std::uint64_t z1 = non_zero_char_mask(w1);
  if (z1 != 0) {
    end = base + last_byte(z1) + 1;  // >= first + 1: the '.' is not '0' when it is in w1
  } else {  // eight trailing '0's, all in the fraction
    end = base;
    while (p[end - 1] == '0') --end;  // stops at the '.' at the latest
  }
  if (end == first + 1) end = first;  // all-zero fraction: drop it with its '.'
  return true;
}

// Everything that is not plain -?[0-9]+(\.[0-9]+)?: the reference decides. Kept out of line
// so the fast path stays small enough to inline into a parser's loop.
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
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
MDP_DECIMAL_HOT bool append_canonical_decimal(std::string_view in, std::string& out) {
  const char* p = in.data();
  const std::size_t n = in.size();
  if (n == 0 || n > kMaxDecimalInput) return false;
  const std::size_t int_begin = p[0] == '-' ? 1 : 0;
  std::size_t int_end = 0;  // end of the integer digits
  std::size_t end = 0;      // end of the canonical text in `in`
  if (n >= 8 && n <= 16) {
    if (!detail::plain_extent_8_to_16(p, n, int_begin, int_end, end)) {
      return detail::append_canonical_decimal_general(in, out);
    }
  } else if ((int_end = detail::digit_run_end(p, int_begin, n)) == int_begin) {
    return detail::append_canonical_decimal_general(in, out);
  } else if ((end = int_end) != n) {
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
  // One copy of the canonical bytes: memcpy moves a value of up to 16 bytes as two overlapping
  // 8-byte words (no resize-then-fill of the string, which costs a memset and a second call).
  if (int_begin != 0) out.push_back('-');
  out.append(p + begin, end - begin);
  return true;
}

// The fast path into a cleared `out` (its capacity kept). false: `out` is empty.
MDP_DECIMAL_HOT bool assign_canonical_decimal(std::string_view in, std::string& out) {
  out.clear();
  return append_canonical_decimal(in, out);
}

#undef MDP_DECIMAL_HOT

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
