// The problem+json writer as a round-trip: a Problem built from fuzzer-chosen values (any
// type, arbitrary bytes as detail, instance and extension names, extension values written
// with JsonWriter: strings of arbitrary bytes, integers, booleans, null, Retry-After) is
// rendered, then read back with an independent strict RFC 8259 reader (fuzz/support).
// Invariants: the body is valid UTF-8 and valid JSON; its members are exactly type, title,
// status, detail, [instance], extensions, in that order, with the values given (text that is
// valid UTF-8 comes back byte for byte; any other byte becomes U+FFFD, the writer's documented
// policy); a standard member name as an extension is refused with std::invalid_argument.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "FuzzCheck.hpp"
#include "JsonWriter.hpp"
#include "Problem.hpp"
#include "ProblemType.hpp"
#include "StrictJson.hpp"
#include "Utf8.hpp"

namespace {

namespace http = mdp::http;
namespace json = mdp::fuzz::json;
using mdp::fuzz::check;

// What the writer promises to send for `text`: valid sequences as they are, every other byte
// replaced by U+FFFD.
std::string as_sent(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = http::utf8_sequence_length(text.substr(i));
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

void check_text(const json::Value& value, std::string_view sent, const char* what) {
  check(value.kind == json::Value::Kind::String, what);
  check(value.text == as_sent(sent), what);
  if (json::valid_utf8(sent)) check(value.text == sent, what);
}

struct Extension {
  std::string name;
  json::Value::Kind kind = json::Value::Kind::Null;
  std::string text;  // String: the bytes given; Number: the decimal text
};

bool is_reserved(std::string_view name) {
  return name == "type" || name == "title" || name == "status" || name == "detail" || name == "instance";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto& types = http::all_problem_types();
  const http::ProblemTypeInfo& info = types[in.ConsumeIntegralInRange<std::size_t>(0, types.size() - 1)];
  http::Problem problem(info.type, in.ConsumeRandomLengthString(1024));
  const std::string detail = problem.detail();
  const std::string instance = in.ConsumeRandomLengthString(128);

  std::vector<Extension> extensions;
  std::optional<int> retry_after;
  const int count = in.ConsumeIntegralInRange<int>(0, 6);
  for (int k = 0; k < count; ++k) {
    Extension ext;
    const int pick = in.ConsumeIntegralInRange<int>(0, 12);
    static const char* const kStandard[] = {"type", "title", "status", "detail", "instance"};
    ext.name = pick < 5 ? kStandard[pick] : in.ConsumeRandomLengthString(64);
    std::string raw;
    http::JsonWriter writer(raw);
    switch (in.ConsumeIntegralInRange<int>(0, 4)) {
      case 0:
        ext.kind = json::Value::Kind::String;
        ext.text = in.ConsumeRandomLengthString(256);
        writer.string(ext.text);
        break;
      case 1: {
        ext.kind = json::Value::Kind::Number;
        const auto number = in.ConsumeIntegral<std::int64_t>();
        ext.text = std::to_string(number);
        writer.integer(number);
        break;
      }
      case 2: {
        const bool flag = in.ConsumeBool();
        ext.kind = flag ? json::Value::Kind::True : json::Value::Kind::False;
        writer.boolean(flag);
        break;
      }
      case 3:
        ext.kind = json::Value::Kind::Null;
        writer.null();
        break;
      default:
        retry_after = in.ConsumeIntegral<int>();
        problem.with_retry_after(*retry_after);
        continue;
    }
    check(writer.complete(), "an extension value is one complete JSON value");
    bool refused = false;
    try {
      problem.with_extension(ext.name, raw);
    } catch (const std::invalid_argument&) {
      refused = true;
    }
    check(refused == is_reserved(ext.name), "with_extension refuses exactly the standard member names");
    if (!refused) extensions.push_back(std::move(ext));
  }

  if (retry_after) {
    check(!problem.headers().empty() && problem.headers().back().first == "Retry-After", "Retry-After header set");
    check(problem.headers().back().second == std::to_string(*retry_after < 0 ? 0 : *retry_after),
          "Retry-After is the delta-seconds given, 0 for a negative value");
  }

  const std::string body = problem.render(instance);
  check(json::valid_utf8(body), "problem+json body is valid UTF-8");
  const std::optional<json::Value> doc = json::parse(body);
  check(doc.has_value(), "problem+json body is valid JSON");
  check(doc->kind == json::Value::Kind::Object, "problem+json body is an object");
  const auto& members = doc->members;
  const std::size_t expected = 4 + (instance.empty() ? 0 : 1) + extensions.size();
  check(members.size() == expected, "members are type, title, status, detail, [instance], extensions");
  check(members[0].first == "type" && members[0].second.kind == json::Value::Kind::String &&
            members[0].second.text == http::problem_type_uri(info.type),
        "type is the type URI");
  check(members[1].first == "title" && members[1].second.kind == json::Value::Kind::String &&
            members[1].second.text == info.title,
        "title is the type's title");
  check(members[2].first == "status" && members[2].second.kind == json::Value::Kind::Number &&
            members[2].second.text == std::to_string(info.status) && info.status == problem.status(),
        "status is the type's status as a JSON integer");
  check(members[3].first == "detail", "detail member");
  check_text(members[3].second, detail, "detail round-trips");
  std::size_t next = 4;
  if (!instance.empty()) {
    check(members[4].first == "instance", "instance member");
    check_text(members[4].second, instance, "instance round-trips");
    next = 5;
  }
  for (const Extension& ext : extensions) {
    const auto& [name, value] = members[next++];
    check(name == as_sent(ext.name), "extension name round-trips");
    if (json::valid_utf8(ext.name)) check(name == ext.name, "valid UTF-8 extension name comes back unchanged");
    check(value.kind == ext.kind, "extension value kind round-trips");
    if (ext.kind == json::Value::Kind::String) check_text(value, ext.text, "extension string round-trips");
    if (ext.kind == json::Value::Kind::Number) check(value.text == ext.text, "extension integer round-trips");
  }
  return 0;
}
