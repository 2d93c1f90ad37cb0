// Reading text that a plugin hands the host. Nothing a plugin says about lengths is
// trusted: a string is read with a byte cap (strnlen), then checked for UTF-8 validity
// and control characters before the host copies it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mdp::plugins {

enum class TextIssue {
  None,
  Null,          // the pointer is NULL (the ABI says text fields are never NULL)
  TooLong,       // no NUL within the cap: longer than allowed or not terminated
  InvalidUtf8,   // malformed, overlong, surrogate or out-of-range sequence
  ControlChar,   // C0 controls, DEL or C1 controls (U+0080..U+009F)
};

// Short English description, e.g. "is not valid UTF-8".
const char* describe(TextIssue issue) noexcept;

// Reads a NUL-terminated string of at most `cap` bytes (excluding the NUL) without ever
// looking at more than cap + 1 bytes. On success `out` views the plugin's memory.
TextIssue read_bounded(const char* text, std::size_t cap, std::string_view& out) noexcept;

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

// True when `text` (assumed valid UTF-8) contains a C0 control, DEL or a C1 control.
bool has_control_chars(std::string_view text) noexcept;

// read_bounded + UTF-8 + control-character checks in one go.
TextIssue read_text(const char* text, std::size_t cap, std::string_view& out) noexcept;

// A log- and message-safe copy of untrusted text: at most `cap` bytes are read; invalid
// UTF-8 bytes become '?', control characters become ' ', and "..." marks truncation.
std::string sanitize(const char* text, std::size_t cap);
std::string sanitize(std::string_view text, std::size_t cap);

}  // namespace mdp::plugins
