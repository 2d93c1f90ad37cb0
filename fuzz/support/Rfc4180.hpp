// A strict RFC 4180 splitter for the fuzz targets' CSV round-trip checks: every record ends in
// CRLF; a field is either plain (no comma, quote, CR or LF) or quoted with inner quotes
// doubled and nothing but a comma or CRLF after its closing quote. An empty line is one
// record with one empty field. nullopt on anything else (bare CR or LF, stray quote, text
// after the last CRLF).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mdp::fuzz::csv {

using Record = std::vector<std::string>;

inline std::optional<std::vector<Record>> split(std::string_view text) {
  std::vector<Record> records;
  std::size_t i = 0;
  while (i < text.size()) {
    Record record;
    for (;;) {  // one field, then its separator
      std::string field;
      if (i < text.size() && text[i] == '"') {
        ++i;
        for (;;) {
          if (i >= text.size()) return std::nullopt;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field.push_back('"');
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field.push_back(text[i++]);
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n' && text[i] != '"') {
          field.push_back(text[i++]);
        }
      }
      record.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (text.substr(i, 2) == "\r\n") {
        i += 2;
        break;
      }
      return std::nullopt;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace mdp::fuzz::csv
