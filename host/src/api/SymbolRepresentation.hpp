// How a symbol looks in responses: one JSON object (GET /v1/symbols items and
// GET /v1/symbols/resolve) or one CSV record with the same names, in the same order, with
// the same values (decimals as exact text, times as UTC ms, absent = null / empty field).
#pragma once

#include <string>

#include "CsvWriter.hpp"
#include "JsonWriter.hpp"
#include "SymbolService.hpp"

namespace mdp::api {

void write_symbol_json(http::JsonWriter& json, const service::SymbolInfo& symbol);

void write_symbol_csv_header(CsvWriter& csv);
void write_symbol_csv(CsvWriter& csv, const service::SymbolInfo& symbol);

}  // namespace mdp::api
