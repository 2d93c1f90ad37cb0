// ES256 (RFC 7518 §3.4) through OpenSSL 3: EVP_DigestSign/Verify with SHA-256 on a P-256
// key, converting between JWS's fixed R || S form and OpenSSL's DER ECDSA-Sig-Value. Only
// a 64-byte signature is considered (Poco's ES384/512 padding bug, RELIABILITY.md §8 #7,
// cannot happen here), and R and S are range-checked by OpenSSL's verify.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "JwsKey.hpp"

namespace mdp::auth {
namespace {

constexpr std::size_t kCoordinateBytes = 32;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct SigFree {
  void operator()(ECDSA_SIG* sig) const noexcept { ECDSA_SIG_free(sig); }
};
struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};

class Es256Key final : public JwsKey {
 public:
  explicit Es256Key(std::unique_ptr<EVP_PKEY, PkeyFree> key) : key_(std::move(key)) {}

  std::string_view algorithm() const noexcept override { return "ES256"; }

  std::string sign(std::string_view signing_input) const override {
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    std::size_t der_length = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(signing_input.data());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &der_length, data, signing_input.size()) != 1) {
      throw std::runtime_error("ES256 signing failed");
    }
    std::string der(der_length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(der.data()), &der_length, data,
                       signing_input.size()) != 1) {
      throw std::runtime_error("ES256 signing failed");
    }
    const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, SigFree> sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der_length)));
    if (!sig) throw std::runtime_error("ES256 signing produced no signature");
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::string raw(2 * kCoordinateBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    if (BN_bn2binpad(r, out, kCoordinateBytes) != static_cast<int>(kCoordinateBytes) ||
        BN_bn2binpad(s, out + kCoordinateBytes, kCoordinateBytes) != static_cast<int>(kCoordinateBytes)) {
      throw std::runtime_error("ES256 signature does not fit 64 bytes");
    }
    return raw;
  }

  bool verify(std::string_view signing_input, std::string_view signature) const noexcept override {
    if (signature.size() != 2 * kCoordinateBytes) return false;
    const auto* raw = reinterpret_cast<const unsigned char*>(signature.data());
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    BIGNUM* r = BN_bin2bn(raw, kCoordinateBytes, nullptr);
    BIGNUM* s = BN_bin2bn(raw + kCoordinateBytes, kCoordinateBytes, nullptr);
    if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
      BN_free(r);
      BN_free(s);
      return false;
    }
    unsigned char* der = nullptr;
    const int der_length = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_length <= 0) return false;
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> der_owner(der, [](unsigned char* p) { OPENSSL_free(p); });
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
           EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_length),
                            reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  }

 private:
  std::unique_ptr<EVP_PKEY, PkeyFree> key_;
};

}  // namespace

std::shared_ptr<const JwsKey> make_es256_key_from_pem(std::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::unique_ptr<EVP_PKEY, PkeyFree> key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) throw std::invalid_argument("not a PEM private key");
  char group[64] = {};
  std::size_t group_length = 0;
  if (!EVP_PKEY_is_a(key.get(), "EC") ||
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &group_length) != 1 ||
      std::string_view(group, group_length) != "prime256v1") {
    throw std::invalid_argument("ES256 needs an EC key on P-256 (prime256v1)");
  }
  return std::make_shared<Es256Key>(std::move(key));
}

std::shared_ptr<const JwsKey> load_es256_key(const std::string& pem_file) {
  std::ifstream in(pem_file, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read the ES256 key file '" + pem_file + "'");
  const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return make_es256_key_from_pem(pem);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("'" + pem_file + "': " + e.what());
  }
}

}  // namespace mdp::auth
