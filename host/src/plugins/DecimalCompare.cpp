#include "DecimalCompare.hpp"

namespace mdp::plugins {
namespace {

// Compares two non-negative canonical magnitudes "I" or "I.F".
int compare_magnitudes(std::string_view a, std::string_view b) noexcept {
  const std::size_t a_dot = a.find('.');
  const std::size_t b_dot = b.find('.');
  const std::string_view a_int = a.substr(0, a_dot);
  const std::string_view b_int = b.substr(0, b_dot);
  // Canonical integer parts have no leading zeros: a longer one is larger.
  if (a_int.size() != b_int.size()) return a_int.size() < b_int.size() ? -1 : 1;
  if (const int c = a_int.compare(b_int); c != 0) return c < 0 ? -1 : 1;
  const std::string_view a_frac = a_dot == std::string_view::npos ? std::string_view{} : a.substr(a_dot + 1);
  const std::string_view b_frac = b_dot == std::string_view::npos ? std::string_view{} : b.substr(b_dot + 1);
  const std::size_t n = a_frac.size() > b_frac.size() ? a_frac.size() : b_frac.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char ca = i < a_frac.size() ? a_frac[i] : '0';
    const char cb = i < b_frac.size() ? b_frac[i] : '0';
    if (ca != cb) return ca < cb ? -1 : 1;
  }
  return 0;
}

}  // namespace

int compare_decimals(std::string_view a, std::string_view b) noexcept {
  const bool a_neg = is_negative_decimal(a);
  const bool b_neg = is_negative_decimal(b);
  if (a_neg != b_neg) return a_neg ? -1 : 1;  // canonical text has no "-0"
  if (a_neg) return compare_magnitudes(b.substr(1), a.substr(1));
  return compare_magnitudes(a, b);
}

}  // namespace mdp::plugins
