// A small, strict JSON reader for the JSON objects auth parses from untrusted input: JWT
// headers and claim sets, and token-request bodies. Not a general JSON library.
//
// Strict where a general parser is lenient, because every leniency is a way for two
// parties to read one token differently (RFC 7519 §4, RFC 8725 §3.7):
//   - the top level must be an object; duplicate member names (at any level) are refused;
//   - strings must be valid UTF-8 with valid escapes; lone surrogates and \u0000 refused;
//   - numbers follow RFC 8259 exactly; a number is an Integer only when written without
//     fraction or exponent and within int64, anything else is kind Number (no value kept,
//     so no double ever stands in for a time);
//   - size, nesting depth and member counts are capped before they can cost anything.
// It never throws: any failure, including running out of memory, is nullopt.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::auth {

struct JsonValue {
  enum class Kind { String, Integer, Number, True, False, Null, Array, Object };

  Kind kind = Kind::Null;
  std::string text;                  // String: the decoded text
  std::int64_t integer = 0;          // Integer
  std::vector<std::string> strings;  // Array whose elements are all strings: those strings
  bool array_of_strings = false;     // Array: every element is a string (true when empty)
};

class JsonObject {
 public:
  using Member = std::pair<std::string, JsonValue>;

  const JsonValue* find(std::string_view name) const noexcept;
  const std::vector<Member>& members() const noexcept { return members_; }

 private:
  friend class JsonObjectParser;
  std::vector<Member> members_;
};

struct JsonParseLimits {
  std::size_t max_bytes = 8192;
  int max_depth = 8;            // the top-level object is depth 1
  std::size_t max_members = 64; // per object, and elements per array
};

class JsonObjectParser {
 public:
  static std::optional<JsonObject> parse(std::string_view text, const JsonParseLimits& limits = {}) noexcept;
};

}  // namespace mdp::auth
