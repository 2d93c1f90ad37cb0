#include "EcTestKeys.hpp"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace mdp::auth::test {
namespace {

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

PemKeyPair to_pem(EVP_PKEY* key, bool ec) {
  PemKeyPair pair;
  std::unique_ptr<BIO, int (*)(BIO*)> pkcs8(BIO_new(BIO_s_mem()), BIO_free);
  std::unique_ptr<BIO, int (*)(BIO*)> spki(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(pkcs8.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_PUBKEY(spki.get(), key) != 1) {
    throw std::runtime_error("cannot write a PEM key");
  }
  pair.private_pkcs8 = bio_text(pkcs8.get());
  pair.public_spki = bio_text(spki.get());
  if (ec) {
    std::unique_ptr<BIO, int (*)(BIO*)> sec1(BIO_new(BIO_s_mem()), BIO_free);
    if (PEM_write_bio_PrivateKey_traditional(sec1.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
      throw std::runtime_error("cannot write a SEC1 key");
    }
    pair.private_sec1 = bio_text(sec1.get());
  }
  return pair;
}

}  // namespace

PemKeyPair generate_ec_key(const char* curve) {
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(EVP_EC_gen(curve), EVP_PKEY_free);
  if (!key) throw std::runtime_error("EC key generation failed");
  return to_pem(key.get(), true);
}

PemKeyPair generate_rsa_key() {
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> key(EVP_RSA_gen(2048), EVP_PKEY_free);
  if (!key) throw std::runtime_error("RSA key generation failed");
  return to_pem(key.get(), false);
}

std::string write_temp_file(const std::string& text, const std::string& suffix) {
  static std::atomic<int> counter{0};
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("mdp-auth-test-" + std::to_string(::getpid()) + "-" +
                                      std::to_string(counter++) + suffix);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace mdp::auth::test
