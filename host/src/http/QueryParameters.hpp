// The decoded query parameters of one request, in request order. Names are unique (the
// parser refuses duplicates), values are valid UTF-8 without control characters. A
// parameter given without '=' ("?flag") has an empty value.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::http {

class QueryParameters {
 public:
  using Entry = std::pair<std::string, std::string>;  // name, value

  // nullptr when absent. Linear scan: requests carry a handful of parameters.
  const std::string* find(std::string_view name) const noexcept;
  bool contains(std::string_view name) const noexcept { return find(name) != nullptr; }
  std::size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  const std::vector<Entry>& entries() const noexcept { return entries_; }

  // The first parameter (in request order) whose name is not in `allowed`, or nullptr.
  const std::string* first_not_in(std::initializer_list<std::string_view> allowed) const noexcept;

  // Appends without checking for duplicates; QueryParser does that.
  void add(std::string name, std::string value);

 private:
  std::vector<Entry> entries_;
};

}  // namespace mdp::http
