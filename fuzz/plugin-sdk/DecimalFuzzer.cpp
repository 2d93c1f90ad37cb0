// to_canonical_decimal and is_canonical_decimal on arbitrary text, checked against a
// deliberately plain reference written from the documented grammar (below), plus:
// what to_canonical_decimal returns is canonical and a fixed point; canonical text maps to itself.
// Differential: the word-at-a-time fast path (append_/assign_canonical_decimal) gives exactly
// to_canonical_decimal's answer and text, and leaves `out` as documented when it refuses.
// libFuzzer's input buffer is exactly `size` bytes, so ASan sees any read past the text.
#include <mdp/decimal.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "FuzzCheck.hpp"

namespace {

bool all_digits(std::string_view s) {
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// -?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)? with |exponent| <= kMaxDecimalExponent and input and
// output at most kMaxDecimalInput characters; leading zeros tolerated; "-0" is "0".
std::optional<std::string> reference_canonical(std::string_view in) {
  if (in.empty() || in.size() > mdp::kMaxDecimalInput) return std::nullopt;
  const bool negative = in.front() == '-';
  if (negative) in.remove_prefix(1);
  const std::size_t e = in.find_first_of("eE");
  std::string_view mantissa = in.substr(0, e);
  long exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view exp = in.substr(e + 1);
    bool exp_negative = false;
    if (!exp.empty() && (exp.front() == '+' || exp.front() == '-')) {
      exp_negative = exp.front() == '-';
      exp.remove_prefix(1);
    }
    if (exp.empty() || !all_digits(exp)) return std::nullopt;
    for (const char c : exp) {
      exponent = exponent * 10 + (c - '0');
      if (exponent > mdp::kMaxDecimalExponent) return std::nullopt;
    }
    if (exp_negative) exponent = -exponent;
  }
  const std::size_t dot = mantissa.find('.');
  const std::string_view int_part = mantissa.substr(0, dot);
  const std::string_view frac_part = dot == std::string_view::npos ? std::string_view{} : mantissa.substr(dot + 1);
  if (int_part.empty() || !all_digits(int_part)) return std::nullopt;
  if (dot != std::string_view::npos && (frac_part.empty() || !all_digits(frac_part))) return std::nullopt;

  // Shift the decimal point by the exponent on the plain digit string.
  std::string digits = std::string(int_part) + std::string(frac_part);
  long point = static_cast<long>(int_part.size()) + exponent;
  if (point < 0) {
    digits.insert(0, static_cast<std::size_t>(-point), '0');
    point = 0;
  }
  if (point > static_cast<long>(digits.size())) digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
  std::string whole = digits.substr(0, static_cast<std::size_t>(point));
  std::string fraction = digits.substr(static_cast<std::size_t>(point));
  whole.erase(0, whole.find_first_not_of('0'));
  if (whole.empty()) whole = "0";
  const std::size_t last = fraction.find_last_not_of('0');
  fraction.erase(last == std::string::npos ? 0 : last + 1);

  if (whole == "0" && fraction.empty()) return std::string("0");
  std::string out = negative ? "-" : "";
  out += whole;
  if (!fraction.empty()) out += "." + fraction;
  if (out.size() > mdp::kMaxDecimalInput) return std::nullopt;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in = mdp::fuzz::as_text(data, size);
  std::string out;
  const bool accepted = mdp::to_canonical_decimal(in, out);
  const std::optional<std::string> expected = reference_canonical(in);
  mdp::fuzz::check(accepted == expected.has_value(), "to_canonical_decimal accepts what the reference accepts");
  if (accepted) {
    mdp::fuzz::check(out == *expected, "to_canonical_decimal == reference");
    mdp::fuzz::check(mdp::is_canonical_decimal(out), "the output is canonical");
    std::string again;
    mdp::fuzz::check(mdp::to_canonical_decimal(out, again) && again == out, "canonical text is a fixed point");
  }
  std::string appended = "prefix:";
  const bool append_ok = mdp::append_canonical_decimal(in, appended);
  mdp::fuzz::check(append_ok == accepted, "append_canonical_decimal accepts what to_canonical_decimal accepts");
  mdp::fuzz::check(appended == (append_ok ? "prefix:" + out : std::string("prefix:")),
                   "append_canonical_decimal appends the reference text, or leaves out as it was");
  std::string assigned = "left over";
  const bool assign_ok = mdp::assign_canonical_decimal(in, assigned);
  mdp::fuzz::check(assign_ok == accepted, "assign_canonical_decimal accepts what to_canonical_decimal accepts");
  mdp::fuzz::check(assign_ok ? assigned == out : assigned.empty(),
                   "assign_canonical_decimal gives the reference text, or an empty out");
  if (mdp::is_canonical_decimal(in)) {
    mdp::fuzz::check(accepted && out == in, "canonical input comes back unchanged");
  }
  return 0;
}
