// Appends RFC 4180 CSV to one caller-owned buffer (same approach as JsonWriter: no
// intermediate strings). Records end in CRLF; a field is quoted only when it holds a comma,
// a double quote, CR or LF, with inner quotes doubled. Absent values are empty fields.
// What pandas.read_csv, Excel and Python's csv module read back unchanged.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mdp::api {

class CsvWriter {
 public:
  explicit CsvWriter(std::string& out) noexcept : out_(out) {}

  CsvWriter& field(std::string_view text);
  CsvWriter& field(std::int64_t number);
  CsvWriter& field(bool flag);  // true / false
  CsvWriter& empty_field();
  CsvWriter& end_record();

 private:
  void separate();

  std::string& out_;
  bool record_started_ = false;
};

}  // namespace mdp::api
