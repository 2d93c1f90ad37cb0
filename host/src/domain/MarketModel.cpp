#include "MarketModel.hpp"

#include <array>
#include <utility>

namespace mdp::domain {
namespace {
constexpr std::array<std::pair<MarketType, std::string_view>, 3> kMarketTypes{{
    {MarketType::Spot, "spot"}, {MarketType::Perpetual, "perpetual"}, {MarketType::Future, "future"}}};
constexpr std::array<std::pair<SymbolStatus, std::string_view>, 5> kStatuses{{
    {SymbolStatus::Trading, "trading"},
    {SymbolStatus::Halted, "halted"},
    {SymbolStatus::PreTrading, "pre_trading"},
    {SymbolStatus::Settling, "settling"},
    {SymbolStatus::Delisted, "delisted"}}};
}  // namespace

std::string_view to_string(MarketType type) {
  for (const auto& [value, name] : kMarketTypes) {
    if (value == type) return name;
  }
  return "unknown";
}

std::string_view to_string(SymbolStatus status) {
  for (const auto& [value, name] : kStatuses) {
    if (value == status) return name;
  }
  return "unknown";
}

std::optional<MarketType> market_type_from_string(std::string_view text) {
  for (const auto& [value, name] : kMarketTypes) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<SymbolStatus> symbol_status_from_string(std::string_view text) {
  for (const auto& [value, name] : kStatuses) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<MarketType> market_type_from_code(std::int32_t code) {
  for (const auto& entry : kMarketTypes) {
    if (static_cast<std::int32_t>(entry.first) == code) return entry.first;
  }
  return std::nullopt;
}

std::optional<SymbolStatus> symbol_status_from_code(std::int32_t code) {
  for (const auto& entry : kStatuses) {
    if (static_cast<std::int32_t>(entry.first) == code) return entry.first;
  }
  return std::nullopt;
}

}  // namespace mdp::domain
