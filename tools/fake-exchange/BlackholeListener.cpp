#include "BlackholeListener.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <thread>
#include <vector>

namespace mdp::fake {

struct BlackholeListener::Impl {
  Poco::Net::ServerSocket listener;
  std::vector<Poco::Net::StreamSocket> fillers;
  std::uint16_t port = 0;
};

BlackholeListener::BlackholeListener() : impl_(std::make_unique<Impl>()) {
  // Backlog 1: Linux queues backlog + 1 connections, then drops SYNs.
  impl_->listener = Poco::Net::ServerSocket(Poco::Net::SocketAddress("127.0.0.1", 0), 1);
  impl_->port = impl_->listener.address().port();
  for (int i = 0; i < 8; ++i) {
    Poco::Net::StreamSocket socket;
    socket.connectNB(Poco::Net::SocketAddress("127.0.0.1", impl_->port));
    impl_->fillers.push_back(socket);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // let the handshakes settle
}

BlackholeListener::~BlackholeListener() = default;

std::uint16_t BlackholeListener::port() const noexcept { return impl_->port; }

std::string BlackholeListener::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

}  // namespace mdp::fake
