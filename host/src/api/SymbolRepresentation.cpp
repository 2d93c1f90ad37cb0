#include "SymbolRepresentation.hpp"

#include <optional>

namespace mdp::api {
namespace {

// Both writers walk this one list, so JSON keys and CSV columns cannot drift apart.
template <typename Sink>
void visit_symbol(Sink& sink, const service::SymbolInfo& s) {
  sink.text("exchange", s.exchange);
  sink.text("symbol", s.symbol);
  sink.text("native_symbol", s.native_symbol);
  sink.text("market_type", domain::to_string(s.market_type));
  sink.text("status", domain::to_string(s.status));
  sink.optional_text("native_status", s.native_status);
  sink.text("base", s.base);
  sink.text("quote", s.quote);
  sink.optional_text("settle", s.settle);
  sink.optional_decimal("contract_size", s.contract_size);
  sink.optional_decimal("tick_size", s.tick_size);
  sink.optional_decimal("lot_step", s.lot_step);
  sink.optional_decimal("min_qty", s.min_qty);
  sink.optional_decimal("min_notional", s.min_notional);
  sink.optional_integer("price_max_decimals", s.price_max_decimals);
  sink.optional_integer("price_max_sig_figs", s.price_max_sig_figs);
  sink.optional_integer("listed_at", s.listed_at_ms);
  sink.optional_integer("delivery_at", s.delivery_at_ms);
  sink.optional_text("alias_of", s.alias_of);
  sink.integer("first_seen", s.first_seen_ms);
  sink.integer("last_seen", s.last_seen_ms);
  sink.optional_integer("delisted_at", s.delisted_at_ms);
  sink.integer("updated_at", s.updated_at_ms);
}

struct JsonSink {
  http::JsonWriter& json;
  void text(const char* name, std::string_view value) { json.key(name).string(value); }
  void optional_text(const char* name, const std::optional<std::string>& value) {
    json.key(name);
    value ? json.string(*value) : json.null();
  }
  void optional_decimal(const char* name, const std::optional<std::string>& value) {
    json.key(name);
    value ? json.decimal(*value) : json.null();
  }
  template <typename Int>
  void optional_integer(const char* name, const std::optional<Int>& value) {
    json.key(name);
    value ? json.integer(*value) : json.null();
  }
  void integer(const char* name, std::int64_t value) { json.key(name).integer(value); }
};

struct CsvHeaderSink {
  CsvWriter& csv;
  void column(const char* name) { csv.field(std::string_view(name)); }
  void text(const char* name, std::string_view) { column(name); }
  void optional_text(const char* name, const std::optional<std::string>&) { column(name); }
  void optional_decimal(const char* name, const std::optional<std::string>&) { column(name); }
  template <typename Int>
  void optional_integer(const char* name, const std::optional<Int>&) {
    column(name);
  }
  void integer(const char* name, std::int64_t) { column(name); }
};

struct CsvSink {
  CsvWriter& csv;
  void text(const char*, std::string_view value) { csv.field(value); }
  void optional_text(const char*, const std::optional<std::string>& value) {
    value ? csv.field(std::string_view(*value)) : csv.empty_field();
  }
  void optional_decimal(const char* name, const std::optional<std::string>& value) { optional_text(name, value); }
  template <typename Int>
  void optional_integer(const char*, const std::optional<Int>& value) {
    value ? csv.field(static_cast<std::int64_t>(*value)) : csv.empty_field();
  }
  void integer(const char*, std::int64_t value) { csv.field(value); }
};

}  // namespace

void write_symbol_json(http::JsonWriter& json, const service::SymbolInfo& symbol) {
  json.begin_object();
  JsonSink sink{json};
  visit_symbol(sink, symbol);
  json.end_object();
}

void write_symbol_csv_header(CsvWriter& csv) {
  CsvHeaderSink sink{csv};
  visit_symbol(sink, service::SymbolInfo{});
  csv.end_record();
}

void write_symbol_csv(CsvWriter& csv, const service::SymbolInfo& symbol) {
  CsvSink sink{csv};
  visit_symbol(sink, symbol);
  csv.end_record();
}

}  // namespace mdp::api
