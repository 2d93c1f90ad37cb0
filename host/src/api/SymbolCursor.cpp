#include "SymbolCursor.hpp"

#include <array>
#include <cstdint>

#include "ServiceErrors.hpp"

namespace mdp::api {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::string_view kVersion = "v1";
constexpr std::size_t kMaxCursorBytes = 700;  // exchange (64) + symbol (256) with room; query values are <= 1 KiB

std::string base64url(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(bytes[i]) << 16U) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8U) | static_cast<std::uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(n >> 18U) & 63U]);
    out.push_back(kAlphabet[(n >> 12U) & 63U]);
    out.push_back(kAlphabet[(n >> 6U) & 63U]);
    out.push_back(kAlphabet[n & 63U]);
  }
  const std::size_t left = bytes.size() - i;
  if (left > 0) {
    std::uint32_t n = static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i])) << 16U;
    if (left == 2) n |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(bytes[i + 1])) << 8U;
    out.push_back(kAlphabet[(n >> 18U) & 63U]);
    out.push_back(kAlphabet[(n >> 12U) & 63U]);
    if (left == 2) out.push_back(kAlphabet[(n >> 6U) & 63U]);
  }
  return out;
}

std::optional<std::string> from_base64url(std::string_view text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6U) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> static_cast<unsigned>(bits)) & 0xFFU));
    }
  }
  // Leftover bits must be zero, so every byte string has exactly one encoding.
  if ((buffer & ((1U << static_cast<unsigned>(bits)) - 1U)) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::string encode_symbol_cursor(const service::SymbolPosition& position) {
  std::string raw(kVersion);
  raw.push_back('\n');
  raw += position.exchange;
  raw.push_back('\n');
  raw += position.symbol;
  return base64url(raw);
}

std::optional<service::SymbolPosition> decode_symbol_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > kMaxCursorBytes) return std::nullopt;
  const std::optional<std::string> raw = from_base64url(cursor);
  if (!raw) return std::nullopt;
  const std::size_t first = raw->find('\n');
  if (first == std::string::npos || std::string_view(*raw).substr(0, first) != kVersion) return std::nullopt;
  const std::size_t second = raw->find('\n', first + 1);
  if (second == std::string::npos) return std::nullopt;
  service::SymbolPosition position{raw->substr(first + 1, second - first - 1), raw->substr(second + 1)};
  if (!service::is_plausible_exchange_id(position.exchange) || position.symbol.empty()) return std::nullopt;
  for (const char c : position.symbol) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) return std::nullopt;
  }
  return position;
}

}  // namespace mdp::api
