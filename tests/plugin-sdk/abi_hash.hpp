// The ABI fingerprint of plugin_abi.h: SHA-256 of the header's normalised text.
//
// Normalisation (so that comment and layout-only edits do not count, while every change to a
// declaration, macro or directive does):
//   1. A backslash-newline (line continuation) is removed.
//   2. Comments are removed: a /* ... */ comment becomes one space, a // comment ends at the
//      newline (kept). String and character literals are copied verbatim, so "/*" inside
//      them is not a comment.
//   3. Whitespace (spaces, tabs, \r, \f, \v, and newlines outside preprocessor directives)
//      is dropped, except that one space is kept between two identifier/number characters
//      [A-Za-z0-9_] ("int  x" -> "int x", "f( a ,b )" -> "f(a,b)", "struct s\n{" -> "struct s{").
//      String and character literals are copied verbatim.
//   4. Each preprocessor directive (a line starting with '#') stands on its own line, ended
//      by "\n", and inside it every whitespace run is kept as one space (so the function-like
//      "#define F(x)" and the object-like "#define F (x)" stay different); the declarations
//      between two directives form one line, ended by "\n".
//   5. Hash: SHA-256 of those bytes, lowercase hex.
// The record is plugin-sdk/abi/abi-hash.txt: one "<major>.<minor> <sha256>" line per version.
#pragma once

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mdp::abi_hash {

inline bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

// Steps 1 and 2: continuations and comments out; literals intact.
inline std::string strip_comments(std::string_view in) {
  std::string joined;
  joined.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\\' && i + 1 < in.size() && in[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (in[i] == '\\' && i + 2 < in.size() && in[i + 1] == '\r' && in[i + 2] == '\n') {
      i += 2;
      continue;
    }
    joined.push_back(in[i]);
  }
  std::string out;
  out.reserve(joined.size());
  std::size_t i = 0;
  while (i < joined.size()) {
    const char c = joined[i];
    if (c == '"' || c == '\'') {  // literal: copy through the closing quote
      out.push_back(c);
      ++i;
      while (i < joined.size() && joined[i] != c && joined[i] != '\n') {
        if (joined[i] == '\\' && i + 1 < joined.size()) out.push_back(joined[i++]);
        out.push_back(joined[i++]);
      }
      if (i < joined.size() && joined[i] == c) out.push_back(joined[i++]);
    } else if (c == '/' && i + 1 < joined.size() && joined[i + 1] == '*') {
      const std::size_t end = joined.find("*/", i + 2);
      if (end == std::string::npos) throw std::runtime_error("unterminated /* comment");
      out.push_back(' ');
      i = end + 2;
    } else if (c == '/' && i + 1 < joined.size() && joined[i + 1] == '/') {
      while (i < joined.size() && joined[i] != '\n') ++i;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

// Steps 3 and 4 on comment-free text.
inline std::string normalise_lines(std::string_view in) {
  std::string out;
  auto end_line = [&out] {
    if (!out.empty() && out.back() != '\n') out.push_back('\n');
  };
  std::size_t pos = 0;
  while (pos <= in.size()) {
    std::size_t nl = in.find('\n', pos);
    if (nl == std::string_view::npos) nl = in.size();
    const std::string_view line = in.substr(pos, nl - pos);
    std::string norm;
    bool pending_space = false;
    char quote = 0;
    const std::size_t first = line.find_first_not_of(" \t\r\f\v");
    const bool directive = first != std::string_view::npos && line[first] == '#';
    for (std::size_t k = 0; k < line.size(); ++k) {
      const char c = line[k];
      if (quote != 0) {  // inside a literal: verbatim
        norm.push_back(c);
        if (c == '\\' && k + 1 < line.size()) {
          norm.push_back(line[++k]);
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (is_blank(c)) {
        pending_space = true;
        continue;
      }
      if (pending_space && !norm.empty() && (directive || (is_word_char(norm.back()) && is_word_char(c)))) {
        norm.push_back(' ');
      }
      pending_space = false;
      if (c == '"' || c == '\'') quote = c;
      norm.push_back(c);
    }
    if (!norm.empty()) {
      if (norm[0] == '#') {  // a directive: its own line
        end_line();
        out += norm;
        out.push_back('\n');
      } else {  // declarations: one stream, newlines are whitespace
        if (!out.empty() && out.back() != '\n' && is_word_char(out.back()) && is_word_char(norm[0])) {
          out.push_back(' ');
        }
        out += norm;
      }
    }
    if (nl == in.size()) break;
    pos = nl + 1;
  }
  end_line();
  return out;
}

inline std::string normalise(std::string_view header_text) {
  return normalise_lines(strip_comments(header_text));
}

inline std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_Digest(SHA-256) failed");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0x0f]);
  }
  return hex;
}

inline std::string abi_hash(std::string_view header_text) { return sha256_hex(normalise(header_text)); }

// "<major>.<minor>" from the #define lines of the header text ("" when absent).
inline std::string abi_version(std::string_view header_text) {
  auto value_of = [&](std::string_view name) -> std::string {
    const std::string key = "#define " + std::string(name) + " ";
    const std::size_t at = header_text.find(key);
    if (at == std::string_view::npos) return "";
    std::size_t i = at + key.size();
    while (i < header_text.size() && header_text[i] == ' ') ++i;
    std::string digits;
    while (i < header_text.size() && header_text[i] >= '0' && header_text[i] <= '9') digits.push_back(header_text[i++]);
    return digits;
  };
  const std::string major = value_of("MDP_ABI_MAJOR");
  const std::string minor = value_of("MDP_ABI_MINOR");
  if (major.empty() || minor.empty()) return "";
  return major + "." + minor;
}

inline std::string read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw std::runtime_error("cannot open " + path);
  std::string data;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  std::fclose(f);
  return data;
}

}  // namespace mdp::abi_hash
