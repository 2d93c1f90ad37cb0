#include "ResponseCacheKey.hpp"

namespace mdp::api {

ResponseCacheKey::ResponseCacheKey(std::string_view route) : text_(route) { text_ += '?'; }

ResponseCacheKey& ResponseCacheKey::add(std::string_view name, std::string_view value) {
  text_.append(name).append(1, '=').append(std::to_string(value.size())).append(1, ':').append(value).append(1, '&');
  return *this;
}

ResponseCacheKey& ResponseCacheKey::add_optional(std::string_view name, const std::optional<std::string>& value) {
  // Absent ("-") differs from any present value, whose length prefix starts with a digit.
  if (!value) {
    text_.append(name).append("=-&");
    return *this;
  }
  return add(name, std::string_view(*value));
}

ResponseCacheKey& ResponseCacheKey::add(std::string_view name, std::int64_t value) {
  return add(name, std::string_view(std::to_string(value)));
}

ResponseCacheKey& ResponseCacheKey::add_optional(std::string_view name, const std::optional<std::int64_t>& value) {
  if (!value) return add_optional(name, std::optional<std::string>());
  return add(name, *value);
}

}  // namespace mdp::api
