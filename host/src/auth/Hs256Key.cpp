// HS256 (RFC 7518 §3.2): HMAC-SHA256 through OpenSSL, compared in constant time.
#include <stdexcept>

#include "HmacSha256.hpp"
#include "JwsKey.hpp"

namespace mdp::auth {
namespace {

class Hs256Key final : public JwsKey {
 public:
  explicit Hs256Key(std::string_view secret) : hmac_(secret) {}

  std::string_view algorithm() const noexcept override { return "HS256"; }

  std::string sign(std::string_view signing_input) const override {
    Sha256Digest digest{};
    if (!hmac_.mac(signing_input, digest)) throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
  }

  bool verify(std::string_view signing_input, std::string_view signature) const noexcept override {
    if (signature.size() != Sha256Digest().size()) return false;
    Sha256Digest digest{};
    if (!hmac_.mac(signing_input, digest)) return false;
    return constant_time_equal(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()),
                               signature);
  }

 private:
  HmacSha256 hmac_;
};

}  // namespace

std::shared_ptr<const JwsKey> make_hs256_key(std::string_view secret) { return std::make_shared<Hs256Key>(secret); }

}  // namespace mdp::auth
