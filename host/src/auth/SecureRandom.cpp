#include "SecureRandom.hpp"

#include <limits>
#include <stdexcept>

#include <openssl/rand.h>

namespace mdp::auth {

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count == 0) return out;
  if (count > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    throw std::runtime_error("the random number generator failed");
  }
  return out;
}

}  // namespace mdp::auth
