// Appends JSON to one caller-owned std::string: no DOM, no intermediate allocations
// (PERFORMANCE.md §2: an appender is ~47x faster than Poco::JSON and keeps key order).
//
// Strings are escaped per RFC 8259 §7: '"', '\\' and every control character below U+0020
// (short forms \b \f \n \r \t, the rest as \u00XX). Policy for invalid UTF-8: each byte
// that does not belong to a well-formed sequence is replaced by U+FFFD, so a response is
// always valid JSON and writing never fails. Upstream strings are validated before storage;
// this is the safety net, not the validator.
//
// Misuse (a value where a key is needed, unbalanced end_*, nesting deeper than 64) throws
// std::logic_error: a programming error, which the request pipeline turns into a 500.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::http {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& integer(std::int64_t number);
  JsonWriter& unsigned_integer(std::uint64_t number);
  JsonWriter& boolean(bool flag);
  JsonWriter& null();
  // An exact decimal already in canonical text ("-12.50"), written as a JSON string so no
  // client parses it through a double.
  JsonWriter& decimal(std::string_view canonical);
  // A value that is already JSON (rendered by another JsonWriter), copied verbatim.
  JsonWriter& raw(std::string_view json);

  // True when every container opened has been closed.
  bool complete() const noexcept { return depth_ == 0 && !expect_value_after_key_; }

  // Appends `text` as a quoted, escaped JSON string.
  static void append_quoted(std::string& out, std::string_view text);

 private:
  void before_value();
  void open(char bracket, bool is_object);
  void close(char bracket, bool is_object);

  static constexpr int kMaxDepth = 64;

  std::string& out_;
  int depth_ = 0;
  std::uint64_t in_object_ = 0;    // bit d: container at depth d is an object
  std::uint64_t has_members_ = 0;  // bit d: container at depth d already has an element
  bool expect_value_after_key_ = false;
  bool wrote_top_level_ = false;
};

}  // namespace mdp::http
