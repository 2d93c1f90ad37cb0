#include "JwtTestSupport.hpp"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "Base64.hpp"

namespace mdp::auth::test {
namespace {

std::string hmac_raw(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       out, &length);
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace

std::string b64url(std::string_view bytes) { return base64url_encode(bytes); }

std::string hmac_sha256_raw(std::string_view key, std::string_view data) { return hmac_raw(EVP_sha256(), key, data); }
std::string hmac_sha512_raw(std::string_view key, std::string_view data) { return hmac_raw(EVP_sha512(), key, data); }

std::string sign_hs256(std::string_view header_json, std::string_view payload_json, std::string_view key) {
  const std::string input = b64url(header_json) + "." + b64url(payload_json);
  return input + "." + b64url(hmac_sha256_raw(key, input));
}

std::string json_string(std::string_view text) { return "\"" + std::string(text) + "\""; }

Claims::Claims(std::int64_t now_s) {
  set("iss", json_string(kIssuer));
  set("sub", json_string(kClientId));
  set("aud", json_string(kAudience));
  set("client_id", json_string(kClientId));
  set("scope", json_string("market:read"));
  set("iat", std::to_string(now_s));
  set("exp", std::to_string(now_s + 600));
  set("jti", json_string("jti-1"));
}

Claims& Claims::set(const std::string& name, const std::string& raw_json) {
  for (auto& member : members_) {
    if (member.first == name) {
      member.second = raw_json;
      return *this;
    }
  }
  members_.emplace_back(name, raw_json);
  return *this;
}

Claims& Claims::remove(const std::string& name) {
  members_.erase(std::remove_if(members_.begin(), members_.end(), [&](const auto& m) { return m.first == name; }),
                 members_.end());
  return *this;
}

std::string Claims::json() const {
  std::string out = "{";
  for (const auto& [name, value] : members_) {
    if (out.size() > 1) out.push_back(',');
    out += json_string(name) + ":" + value;
  }
  return out + "}";
}

}  // namespace mdp::auth::test
