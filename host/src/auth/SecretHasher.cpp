#include "SecretHasher.hpp"

#include <charconv>
#include <stdexcept>
#include <vector>

#include <argon2.h>

#include "Base64.hpp"
#include "HmacSha256.hpp"
#include "SecureRandom.hpp"

namespace mdp::auth {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
// Bounds for parameters read back from a PHC string: generous, but finite.
constexpr std::uint32_t kMaxMemoryKib = 256 * 1024;
constexpr std::uint32_t kMaxIterations = 16;
constexpr std::uint32_t kMaxParallelism = 16;

bool params_in_bounds(const Argon2Params& p) {
  return p.parallelism >= 1 && p.parallelism <= kMaxParallelism && p.iterations >= 1 &&
         p.iterations <= kMaxIterations && p.memory_kib >= 8 * p.parallelism && p.memory_kib <= kMaxMemoryKib;
}

bool parse_uint(std::string_view text, std::uint32_t& out) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

// "m=19456,t=2,p=1" in exactly this order (what libargon2 writes).
bool parse_params(std::string_view text, Argon2Params& out) {
  const auto take = [&text](std::string_view prefix, std::uint32_t& value, bool last) {
    if (text.substr(0, prefix.size()) != prefix) return false;
    text.remove_prefix(prefix.size());
    const std::size_t end = last ? text.size() : text.find(',');
    if (end == std::string_view::npos) return false;
    if (!parse_uint(text.substr(0, end), value)) return false;
    text.remove_prefix(last ? end : end + 1);
    return true;
  };
  return take("m=", out.memory_kib, false) && take("t=", out.iterations, false) && take("p=", out.parallelism, true);
}

struct ParsedPhc {
  Argon2Params params;
  std::string salt;
  std::string hash;
};

bool parse_phc(std::string_view phc, ParsedPhc& out) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t dollar = phc.find('$', start);
    parts.push_back(phc.substr(start, dollar == std::string_view::npos ? std::string_view::npos : dollar - start));
    if (dollar == std::string_view::npos) break;
    start = dollar + 1;
  }
  if (parts.size() != 6 || !parts[0].empty() || parts[1] != "argon2id" || parts[2] != "v=19") return false;
  if (!parse_params(parts[3], out.params) || !params_in_bounds(out.params)) return false;
  auto salt = base64_decode_unpadded(parts[4]);
  auto hash = base64_decode_unpadded(parts[5]);
  if (!salt || !hash || salt->size() < 8 || salt->size() > 64 || hash->size() < 16 || hash->size() > 64) return false;
  out.salt = std::move(*salt);
  out.hash = std::move(*hash);
  return true;
}

bool compute(const Argon2Params& p, std::string_view secret, std::string_view salt, std::string& out) {
  return argon2id_hash_raw(p.iterations, p.memory_kib, p.parallelism, secret.data(), secret.size(), salt.data(),
                           salt.size(), out.data(), out.size()) == ARGON2_OK;
}

}  // namespace

SecretHasher::SecretHasher(Argon2Params params) : params_(params) {
  if (!params_in_bounds(params_)) throw std::invalid_argument("argon2id parameters out of bounds");
  throwaway_phc_ = hash(random_bytes(32));
}

std::string SecretHasher::hash(std::string_view secret) const {
  const std::string salt = random_bytes(kSaltBytes);
  std::string digest(kHashBytes, '\0');
  if (!compute(params_, secret, salt, digest)) throw std::runtime_error("argon2id hashing failed");
  return "$argon2id$v=19$m=" + std::to_string(params_.memory_kib) + ",t=" + std::to_string(params_.iterations) +
         ",p=" + std::to_string(params_.parallelism) + "$" + base64_encode_unpadded(salt) + "$" +
         base64_encode_unpadded(digest);
}

bool SecretHasher::verify(std::string_view secret, std::string_view phc) const noexcept {
  try {
    ParsedPhc parsed;
    if (!parse_phc(phc, parsed)) return false;
    std::string digest(parsed.hash.size(), '\0');
    if (!compute(parsed.params, secret, parsed.salt, digest)) return false;
    return constant_time_equal(digest, parsed.hash);
  } catch (...) {
    return false;
  }
}

void SecretHasher::burn(std::string_view secret) const noexcept { static_cast<void>(verify(secret, throwaway_phc_)); }

}  // namespace mdp::auth
