#include "QueryParameters.hpp"

namespace mdp::http {

const std::string* QueryParameters::find(std::string_view name) const noexcept {
  for (const auto& [key, value] : entries_) {
    if (key == name) return &value;
  }
  return nullptr;
}

const std::string* QueryParameters::first_not_in(
    std::initializer_list<std::string_view> allowed) const noexcept {
  for (const auto& entry : entries_) {
    bool known = false;
    for (std::string_view name : allowed) {
      if (entry.first == name) {
        known = true;
        break;
      }
    }
    if (!known) return &entry.first;
  }
  return nullptr;
}

void QueryParameters::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
}

}  // namespace mdp::http
