// The key of a cached response: the route, then every parameter that shapes the response,
// each as name + length-prefixed value in the order the route adds them, so two different
// parameter sets can never produce the same key ("a=1&b=" vs "a=1&b=&" etc.). A route adds
// the normalised values it serves from (parsed times, the negotiated format), never raw
// header or query text it does not use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mdp::api {

class ResponseCacheKey {
 public:
  explicit ResponseCacheKey(std::string_view route);

  ResponseCacheKey& add(std::string_view name, std::string_view value);
  ResponseCacheKey& add_optional(std::string_view name, const std::optional<std::string>& value);
  ResponseCacheKey& add(std::string_view name, std::int64_t value);
  ResponseCacheKey& add_optional(std::string_view name, const std::optional<std::int64_t>& value);

  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};

}  // namespace mdp::api
