#include "PayloadManifest.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mdp::bench {
namespace {

constexpr const char* kHeader = "status\texchange\tpayload\tinterval\trows\tbytes\tfile\tnote";

// Tabs and newlines would break the line format; no field we write has them.
std::string clean(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t begin = 0;
  while (true) {
    const std::size_t tab = line.find('\t', begin);
    fields.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
    if (tab == std::string::npos) return fields;
    begin = tab + 1;
  }
}

}  // namespace

void write_manifest(const std::filesystem::path& path, const std::vector<PayloadEntry>& entries) {
  std::ostringstream out;
  out << kHeader << '\n';
  for (const PayloadEntry& e : entries) {
    out << (e.skipped ? "skipped" : "ok") << '\t' << clean(e.exchange) << '\t' << clean(e.payload) << '\t'
        << clean(e.interval) << '\t' << e.rows << '\t' << e.bytes << '\t' << clean(e.file.string()) << '\t'
        << clean(e.note) << '\n';
  }
  write_bytes(path, out.str());
}

std::vector<PayloadEntry> read_manifest(const std::filesystem::path& path) {
  std::istringstream in(read_bytes(path));
  std::string line;
  if (!std::getline(in, line) || line != kHeader) {
    throw std::runtime_error(path.string() + ": not a payload manifest (header line differs)");
  }
  std::vector<PayloadEntry> entries;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const auto f = split_tabs(line);
    if (f.size() != 8 || (f[0] != "ok" && f[0] != "skipped")) {
      throw std::runtime_error(path.string() + ":" + std::to_string(number) + ": malformed manifest line");
    }
    PayloadEntry e;
    e.skipped = f[0] == "skipped";
    e.exchange = f[1];
    e.payload = f[2];
    e.interval = f[3];
    e.rows = static_cast<std::size_t>(std::stoull(f[4]));
    e.bytes = static_cast<std::size_t>(std::stoull(f[5]));
    e.file = f[6];
    e.note = f[7];
    entries.push_back(std::move(e));
  }
  return entries;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace mdp::bench
