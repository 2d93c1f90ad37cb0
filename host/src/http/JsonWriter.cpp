#include "JsonWriter.hpp"

#include <charconv>
#include <stdexcept>

#include "Utf8.hpp"

namespace mdp::http {

namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

std::uint64_t bit(int depth) noexcept { return std::uint64_t{1} << depth; }

// Short escape for a byte, or nullptr when it needs none (or needs \u00XX).
const char* short_escape(unsigned char byte) noexcept {
  switch (byte) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    default: return nullptr;
  }
}

}  // namespace

void JsonWriter::append_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;  // plain bytes are copied in runs, not one at a time
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20U && byte != '"' && byte != '\\' && byte < 0x80U) {
      ++i;
      continue;
    }
    if (byte >= 0x80U) {
      const std::size_t length = utf8_sequence_length(text.substr(i));
      if (length != 0) {
        i += length;
        continue;
      }
      out.append(text.data() + run_start, i - run_start);
      out.append(kReplacementCharacter);
      run_start = ++i;
      continue;
    }
    out.append(text.data() + run_start, i - run_start);
    if (const char* escape = short_escape(byte)) {
      out.append(escape);
    } else {
      const char unicode_escape[] = {'\\', 'u', '0', '0', kHex[byte >> 4U], kHex[byte & 0x0FU]};
      out.append(unicode_escape, sizeof unicode_escape);
    }
    run_start = ++i;
  }
  out.append(text.data() + run_start, text.size() - run_start);
  out.push_back('"');
}

void JsonWriter::before_value() {
  if (depth_ == 0) {
    if (wrote_top_level_) throw std::logic_error("JsonWriter: more than one top-level value");
    wrote_top_level_ = true;
    return;
  }
  if (in_object_ & bit(depth_)) {
    if (!expect_value_after_key_) throw std::logic_error("JsonWriter: object member without key");
    expect_value_after_key_ = false;
    return;
  }
  if (has_members_ & bit(depth_)) out_.push_back(',');
  has_members_ |= bit(depth_);
}

void JsonWriter::open(char bracket, bool is_object) {
  before_value();
  if (depth_ + 1 >= kMaxDepth) throw std::logic_error("JsonWriter: nesting too deep");
  ++depth_;
  has_members_ &= ~bit(depth_);
  if (is_object) {
    in_object_ |= bit(depth_);
  } else {
    in_object_ &= ~bit(depth_);
  }
  out_.push_back(bracket);
}

void JsonWriter::close(char bracket, bool is_object) {
  const bool top_is_object = (in_object_ & bit(depth_)) != 0;
  if (depth_ == 0 || top_is_object != is_object || expect_value_after_key_) {
    throw std::logic_error("JsonWriter: unbalanced end");
  }
  --depth_;
  out_.push_back(bracket);
}

JsonWriter& JsonWriter::begin_object() {
  open('{', true);
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  close('}', true);
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  open('[', false);
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  close(']', false);
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (depth_ == 0 || (in_object_ & bit(depth_)) == 0 || expect_value_after_key_) {
    throw std::logic_error("JsonWriter: key outside an object");
  }
  if (has_members_ & bit(depth_)) out_.push_back(',');
  has_members_ |= bit(depth_);
  append_quoted(out_, name);
  out_.push_back(':');
  expect_value_after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_quoted(out_, text);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t number) {
  before_value();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out_.append(digits, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(std::uint64_t number) {
  before_value();
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, number);
  out_.append(digits, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool flag) {
  before_value();
  out_.append(flag ? "true" : "false");
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_.append("null");
  return *this;
}

JsonWriter& JsonWriter::decimal(std::string_view canonical) {
  // Canonical decimals need no escaping; going through the escaper anyway costs one scan
  // and keeps a malformed value from breaking the document.
  return string(canonical);
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json);
  return *this;
}

}  // namespace mdp::http
