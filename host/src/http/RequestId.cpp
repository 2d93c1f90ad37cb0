#include "RequestId.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace mdp::http {

namespace {

// splitmix64: tiny, fast, and good enough to spread ids; seeded once per thread.
class SplitMix64 {
 public:
  SplitMix64() {
    std::random_device device;
    const auto clock = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    const auto thread = static_cast<std::uint64_t>(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    state_ = (static_cast<std::uint64_t>(device()) << 32U) ^ device() ^ clock ^ (thread * 0x9E3779B97F4A7C15ULL);
  }

  std::uint64_t next() noexcept {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }

 private:
  std::uint64_t state_;
};

}  // namespace

std::string new_request_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local SplitMix64 generator;
  std::uint64_t bits = generator.next();
  std::string id(16, '0');
  for (std::size_t i = 16; i-- > 0;) {
    id[i] = kHex[bits & 0x0FU];
    bits >>= 4U;
  }
  return id;
}

bool is_acceptable_request_id(std::string_view incoming) noexcept {
  if (incoming.empty() || incoming.size() > 64) return false;
  for (const char c : incoming) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace mdp::http
