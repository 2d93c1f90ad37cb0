#include "JsonObjectParser.hpp"

#include <algorithm>
#include <limits>

namespace mdp::auth {

const JsonValue* JsonObject::find(std::string_view name) const noexcept {
  for (const auto& [key, value] : members_) {
    if (key == name) return &value;
  }
  return nullptr;
}

namespace {

class Reader {
 public:
  Reader(std::string_view text, const JsonParseLimits& limits) : text_(text), limits_(limits) {}

  bool top_level(std::vector<JsonObject::Member>& members) {
    skip_space();
    if (!peek('{')) return false;
    if (!object(1, &members)) return false;
    skip_space();
    return at_ == text_.size();
  }

 private:
  bool at_end() const { return at_ >= text_.size(); }
  bool peek(char c) const { return !at_end() && text_[at_] == c; }

  void skip_space() {
    while (!at_end() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r')) ++at_;
  }

  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }

  // `members` is null for nested objects: their content is checked, not kept.
  bool object(int depth, std::vector<JsonObject::Member>* members) {
    if (depth > limits_.max_depth) return false;
    ++at_;  // '{'
    std::vector<std::string> names;
    skip_space();
    if (peek('}')) {
      ++at_;
      return true;
    }
    while (true) {
      skip_space();
      if (!peek('"')) return false;
      std::string name;
      if (!string(name)) return false;
      if (std::find(names.begin(), names.end(), name) != names.end()) return false;  // duplicate
      if (names.size() >= limits_.max_members) return false;
      names.push_back(name);
      skip_space();
      if (!peek(':')) return false;
      ++at_;
      skip_space();
      JsonValue item;
      if (!value(depth, item)) return false;
      if (members) members->emplace_back(std::move(name), std::move(item));
      skip_space();
      if (peek(',')) {
        ++at_;
        continue;
      }
      if (peek('}')) {
        ++at_;
        return true;
      }
      return false;
    }
  }

  bool array(int depth, JsonValue& out) {
    if (depth > limits_.max_depth) return false;
    ++at_;  // '['
    out.kind = JsonValue::Kind::Array;
    out.array_of_strings = true;
    std::size_t count = 0;
    skip_space();
    if (peek(']')) {
      ++at_;
      return true;
    }
    while (true) {
      skip_space();
      if (++count > limits_.max_members) return false;
      JsonValue element;
      if (!value(depth, element)) return false;
      if (element.kind == JsonValue::Kind::String) {
        if (out.array_of_strings) out.strings.push_back(std::move(element.text));
      } else {
        out.array_of_strings = false;
        out.strings.clear();
      }
      skip_space();
      if (peek(',')) {
        ++at_;
        continue;
      }
      if (peek(']')) {
        ++at_;
        return true;
      }
      return false;
    }
  }

  // A value inside a container at `depth`.
  bool value(int depth, JsonValue& out) {
    if (at_end()) return false;
    const char c = text_[at_];
    switch (c) {
      case '"':
        out.kind = JsonValue::Kind::String;
        return string(out.text);
      case '{':
        out.kind = JsonValue::Kind::Object;
        return object(depth + 1, nullptr);
      case '[':
        return array(depth + 1, out);
      case 't':
        out.kind = JsonValue::Kind::True;
        return literal("true");
      case 'f':
        out.kind = JsonValue::Kind::False;
        return literal("false");
      case 'n':
        out.kind = JsonValue::Kind::Null;
        return literal("null");
      default:
        return number(out);
    }
  }

  bool digits() {
    const std::size_t start = at_;
    while (!at_end() && text_[at_] >= '0' && text_[at_] <= '9') ++at_;
    return at_ > start;
  }

  // RFC 8259 §6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(JsonValue& out) {
    const std::size_t start = at_;
    bool negative = false;
    if (peek('-')) {
      negative = true;
      ++at_;
    }
    if (peek('0')) {
      ++at_;
    } else if (!at_end() && text_[at_] >= '1' && text_[at_] <= '9') {
      digits();
    } else {
      return false;
    }
    const std::size_t integer_end = at_;
    bool plain_integer = true;
    if (peek('.')) {
      ++at_;
      if (!digits()) return false;
      plain_integer = false;
    }
    if (peek('e') || peek('E')) {
      ++at_;
      if (peek('+') || peek('-')) ++at_;
      if (!digits()) return false;
      plain_integer = false;
    }
    out.kind = JsonValue::Kind::Number;
    if (!plain_integer) return true;
    // Accumulate negatively so INT64_MIN fits; overflow leaves it a plain Number.
    std::int64_t accumulated = 0;
    for (std::size_t i = start + (negative ? 1 : 0); i < integer_end; ++i) {
      const int digit = text_[i] - '0';
      if (accumulated < (std::numeric_limits<std::int64_t>::min() + digit) / 10) return true;
      accumulated = accumulated * 10 - digit;
    }
    if (!negative) {
      if (accumulated == std::numeric_limits<std::int64_t>::min()) return true;
      accumulated = -accumulated;
    }
    out.kind = JsonValue::Kind::Integer;
    out.integer = accumulated;
    return true;
  }

  bool hex4(std::uint32_t& out) {
    if (at_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[at_++];
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // Length of the well-formed UTF-8 sequence at at_ (RFC 3629 table), 0 when malformed.
  std::size_t utf8_length() const {
    const auto byte = [this](std::size_t i) { return static_cast<unsigned char>(text_[at_ + i]); };
    const std::size_t left = text_.size() - at_;
    const unsigned char b0 = byte(0);
    const auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
      return i < left && byte(i) >= lo && byte(i) <= hi;
    };
    if (b0 < 0x80) return 1;
    if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
    if (b0 == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
    if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF) return cont(1) && cont(2) ? 3 : 0;
    if (b0 == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
    if (b0 == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    if (b0 >= 0xF1 && b0 <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
    if (b0 == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
    return 0;
  }

  bool string(std::string& out) {
    ++at_;  // opening quote
    while (true) {
      if (at_end()) return false;
      const char c = text_[at_];
      if (c == '"') {
        ++at_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        const std::size_t length = utf8_length();
        if (length == 0) return false;
        out.append(text_.substr(at_, length));
        at_ += length;
        continue;
      }
      ++at_;
      if (at_end()) return false;
      const char escape = text_[at_++];
      switch (escape) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp == 0) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text_.substr(at_, 2) != "\\u") return false;
            at_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
  }

  std::string_view text_;
  const JsonParseLimits& limits_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<JsonObject> JsonObjectParser::parse(std::string_view text, const JsonParseLimits& limits) noexcept {
  try {
    if (text.size() > limits.max_bytes) return std::nullopt;
    JsonObject object;
    Reader reader(text, limits);
    if (!reader.top_level(object.members_)) return std::nullopt;
    return object;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace mdp::auth
