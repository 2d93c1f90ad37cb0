// A loopback TCP listener that never accepts, with its backlog already full, so further
// connection attempts hang until the client's connect timeout (RELIABILITY.md U6: "connect
// to a port that accepts nothing"). Lives as long as the object.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace mdp::fake {

class BlackholeListener {
 public:
  BlackholeListener();
  ~BlackholeListener();
  BlackholeListener(const BlackholeListener&) = delete;
  BlackholeListener& operator=(const BlackholeListener&) = delete;

  std::uint16_t port() const noexcept;
  std::string base_url() const;  // "http://127.0.0.1:PORT"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mdp::fake
