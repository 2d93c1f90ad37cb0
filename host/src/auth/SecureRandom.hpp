// Unpredictable bytes from OpenSSL's CSPRNG (RAND_bytes), for client ids, client secrets,
// salts, token ids and throwaway keys.
#pragma once

#include <cstddef>
#include <string>

namespace mdp::auth {

// Throws std::runtime_error when the generator fails (it never returns weak bytes).
std::string random_bytes(std::size_t count);

}  // namespace mdp::auth
