// Building tokens the way an attacker or another library would: arbitrary header and
// payload text, signed with any key (OpenSSL's one-shot HMAC, independent of HmacSha256).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mdp::auth::test {

inline constexpr std::string_view kSecret = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kIssuer = "mdp-test";
inline constexpr std::string_view kAudience = "mdp-api-test";
inline constexpr std::string_view kClientId = "mdp_client1";

std::string b64url(std::string_view bytes);
// Raw HMAC-SHA256 through OpenSSL's HMAC(), with any key length.
std::string hmac_sha256_raw(std::string_view key, std::string_view data);
std::string hmac_sha512_raw(std::string_view key, std::string_view data);
// header.payload.signature with an HS256 signature over the encoded parts.
std::string sign_hs256(std::string_view header_json, std::string_view payload_json, std::string_view key = kSecret);

// Claims as raw JSON member values, in insertion order; a valid access token's by default.
class Claims {
 public:
  explicit Claims(std::int64_t now_s);
  Claims& set(const std::string& name, const std::string& raw_json);
  Claims& remove(const std::string& name);
  std::string json() const;

 private:
  std::vector<std::pair<std::string, std::string>> members_;
};

std::string json_string(std::string_view text);  // a JSON string literal (no escaping needed in tests)

inline constexpr std::string_view kHeader = R"({"alg":"HS256","typ":"at+jwt"})";

}  // namespace mdp::auth::test
