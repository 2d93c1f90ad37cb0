// A FakeExchangeServer generator that answers Binance `GET /fapi/v1/klines` for any
// startTime/endTime/limit with 1m rows in Binance's 12-field format: every bucket opening in
// [startTime, endTime] (both inclusive, as Binance treats them), at most `limit` of them.
// Prices follow the open time, so any two rows are told apart and each is self-consistent
// (low <= open, close <= high).
#pragma once

#include <cstdint>
#include <string>

#include "FakeExchangeServer.hpp"

namespace mdp::app::integration {

// The body for one request, exactly what the generator serves (for tests of the generator).
std::string binance_1m_klines(std::int64_t start_time, std::int64_t end_time, std::int64_t limit);

// 400 with Binance's error body when a parameter is missing or not a number.
fake::Generator binance_1m_klines_generator();

}  // namespace mdp::app::integration
