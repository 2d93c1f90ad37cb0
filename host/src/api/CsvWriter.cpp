#include "CsvWriter.hpp"

#include <charconv>

namespace mdp::api {

void CsvWriter::separate() {
  if (record_started_) out_.push_back(',');
  record_started_ = true;
}

CsvWriter& CsvWriter::field(std::string_view text) {
  separate();
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out_.append(text);
    return *this;
  }
  out_.push_back('"');
  for (const char c : text) {
    if (c == '"') out_.push_back('"');
    out_.push_back(c);
  }
  out_.push_back('"');
  return *this;
}

CsvWriter& CsvWriter::field(std::int64_t number) {
  separate();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, number);
  out_.append(buffer, result.ptr);
  return *this;
}

CsvWriter& CsvWriter::field(bool flag) {
  separate();
  out_.append(flag ? "true" : "false");
  return *this;
}

CsvWriter& CsvWriter::empty_field() {
  separate();
  return *this;
}

CsvWriter& CsvWriter::end_record() {
  out_.append("\r\n");
  record_started_ = false;
  return *this;
}

}  // namespace mdp::api
