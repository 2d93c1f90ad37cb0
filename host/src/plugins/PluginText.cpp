#include "PluginText.hpp"

#include <cstring>

namespace mdp::plugins {
namespace {

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when malformed.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlongs
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlongs
    if (b0 == 0xF4) hi = 0x8F;  // <= U+10FFFF
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return len;
}

bool is_control_at(std::string_view text, std::size_t i, std::size_t len) noexcept {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (len == 1) return b0 < 0x20 || b0 == 0x7F;
  // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
  return len == 2 && b0 == 0xC2 && static_cast<unsigned char>(text[i + 1]) <= 0x9F;
}

}  // namespace

const char* describe(TextIssue issue) noexcept {
  switch (issue) {
    case TextIssue::None: return "is valid";
    case TextIssue::Null: return "is NULL";
    case TextIssue::TooLong: return "is too long or not NUL-terminated";
    case TextIssue::InvalidUtf8: return "is not valid UTF-8";
    case TextIssue::ControlChar: return "contains control characters";
  }
  return "is invalid";
}

TextIssue read_bounded(const char* text, std::size_t cap, std::string_view& out) noexcept {
  out = {};
  if (text == nullptr) return TextIssue::Null;
  const std::size_t len = ::strnlen(text, cap + 1);
  if (len > cap) return TextIssue::TooLong;
  out = std::string_view(text, len);
  return TextIssue::None;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool has_control_chars(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) len = 1;
    if (is_control_at(text, i, len)) return true;
    i += len;
  }
  return false;
}

TextIssue read_text(const char* text, std::size_t cap, std::string_view& out) noexcept {
  const TextIssue issue = read_bounded(text, cap, out);
  if (issue != TextIssue::None) return issue;
  if (!is_valid_utf8(out)) return TextIssue::InvalidUtf8;
  if (has_control_chars(out)) return TextIssue::ControlChar;
  return TextIssue::None;
}

std::string sanitize(std::string_view text, std::size_t cap) {
  const bool truncated = text.size() > cap;
  if (truncated) text = text.substr(0, cap);
  std::string out;
  out.reserve(text.size() + 3);
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    if (is_control_at(text, i, len)) {
      out.push_back(' ');
    } else {
      out.append(text.data() + i, len);
    }
    i += len;
  }
  if (truncated) out.append("...");
  return out;
}

std::string sanitize(const char* text, std::size_t cap) {
  if (text == nullptr) return "(null)";
  const std::size_t len = ::strnlen(text, cap + 1);
  return sanitize(std::string_view(text, len), cap);
}

}  // namespace mdp::plugins
