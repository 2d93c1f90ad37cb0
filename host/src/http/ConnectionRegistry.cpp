#include "ConnectionRegistry.hpp"

#include <algorithm>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <Poco/Net/SocketAddress.h>

#include "AccessLogLine.hpp"
#include "Problem.hpp"
#include "RawProblemResponse.hpp"
#include "RequestId.hpp"

namespace mdp::http {

namespace {

thread_local ConnectionRegistry::Entry* t_current = nullptr;

}  // namespace

ConnectionRegistry::Entry::~Entry() {
  if (fd_ >= 0) ::close(fd_);
}

ConnectionRegistry::Scope::Scope(ConnectionRegistry& registry, const Poco::Net::StreamSocket& socket)
    : registry_(registry), entry_(registry.add(socket)) {
  t_current = entry_.get();
}

ConnectionRegistry::Scope::~Scope() {
  t_current = nullptr;
  registry_.finish(entry_);
}

ConnectionRegistry::ConnectionRegistry(std::chrono::milliseconds head_deadline,
                                       std::chrono::milliseconds body_deadline, Poco::Logger& access_log)
    : head_deadline_(head_deadline), body_deadline_(body_deadline), access_log_(access_log) {}

ConnectionRegistry::Entry* ConnectionRegistry::current() noexcept { return t_current; }

std::string ConnectionRegistry::peer_host(int fd) {
  if (fd < 0) return {};
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return {};
  try {
    return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&peer), length).host().toString();
  } catch (...) {
    return {};
  }
}

std::shared_ptr<ConnectionRegistry::Entry> ConnectionRegistry::add(const Poco::Net::StreamSocket& socket) {
  auto entry = std::make_shared<Entry>(::dup(socket.impl()->sockfd()));
  entry->since_ = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.push_back(entry);
  return entry;
}

void ConnectionRegistry::finish(const std::shared_ptr<Entry>& entry) {
  bool linger = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    linger = entry->linger_ && !entry->timed_out_ && entry->fd_ >= 0;
    entry->phase_ = Phase::Handling;  // out of the reaper's reach; close_all() can still cut it
  }
  if (linger) {
    ::shutdown(entry->fd_, SHUT_WR);  // our answer is followed by FIN, not by RST
    const auto deadline = Clock::now() + kLingerTime;
    std::size_t discarded = 0;
    char sink[16 * 1024];
    while (discarded < kLingerMaxBytes) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) break;
      pollfd wait{entry->fd_, POLLIN, 0};
      if (::poll(&wait, 1, static_cast<int>(left)) <= 0) break;
      const ssize_t n = ::recv(entry->fd_, sink, sizeof sink, MSG_DONTWAIT);
      if (n <= 0) break;  // the client closed (or reset): done
      discarded += static_cast<std::size_t>(n);
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = std::find(entries_.begin(), entries_.end(), entry);
  if (found == entries_.end()) return;
  *found = std::move(entries_.back());
  entries_.pop_back();
}

bool ConnectionRegistry::begin_request(Entry& entry) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (entry.timed_out_) return false;
  entry.phase_ = Phase::Handling;
  entry.since_ = now;
  return true;
}

void ConnectionRegistry::set_phase(Entry& entry, Phase phase) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  entry.phase_ = phase;
  entry.since_ = now;
}

bool ConnectionRegistry::timed_out(const Entry& entry) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entry.timed_out_;
}

void ConnectionRegistry::linger_on_close(Entry& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  entry.linger_ = true;
}

bool ConnectionRegistry::claim_final_answer(Entry& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (entry.timed_out_) return false;
  entry.timed_out_ = true;
  return true;
}

std::size_t ConnectionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

std::size_t ConnectionRegistry::reap(Clock::time_point now) {
  std::vector<std::pair<std::shared_ptr<Entry>, Clock::duration>> stuck_in_head;
  std::size_t cut = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& entry : entries_) {
      if (entry->timed_out_ || entry->fd_ < 0) continue;
      const auto waited = now - entry->since_;
      if (entry->phase_ == Phase::AwaitingRequest && waited > head_deadline_) {
        // Claimed under the lock: from here on begin_request() refuses this connection,
        // so our 408 is the only answer it gets.
        entry->timed_out_ = true;
        stuck_in_head.emplace_back(entry, waited);
      } else if (entry->phase_ == Phase::ReadingBody && waited > body_deadline_) {
        // The pipeline's read then ends early; it sees timed_out and answers 408 itself.
        entry->timed_out_ = true;
        ::shutdown(entry->fd_, SHUT_RD);
        ++cut;
      }
    }
  }
  // Outside the lock: these write to the network. The shared_ptr keeps each fd open.
  for (const auto& [entry, waited] : stuck_in_head) {
    const std::string request_id = new_request_id();
    const std::size_t bytes = send_raw_problem(
        entry->fd_, Problem(ProblemType::RequestTimeout, "request head not received in time"), request_id);
    ::shutdown(entry->fd_, SHUT_RDWR);
    if (access_log_.information()) {
      const auto waited_us = std::chrono::duration_cast<std::chrono::microseconds>(waited).count();
      access_log_.information(AccessLogLine{"-", "-", 408, static_cast<std::int64_t>(waited_us), request_id, {},
                                            peer_host(entry->fd_), bytes}
                                  .format());
    }
    ++cut;
  }
  return cut;
}

std::size_t ConnectionRegistry::close_idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t closed = 0;
  for (const auto& entry : entries_) {
    if (entry->phase_ != Phase::AwaitingRequest || entry->fd_ < 0) continue;
    // Bytes waiting means a request is arriving: let it be served (with Connection: close).
    int pending = 0;
    if (::ioctl(entry->fd_, FIONREAD, &pending) == 0 && pending > 0) continue;
    ::shutdown(entry->fd_, SHUT_RD);
    ++closed;
  }
  return closed;
}

std::size_t ConnectionRegistry::close_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : entries_) {
    if (entry->fd_ >= 0) ::shutdown(entry->fd_, SHUT_RDWR);
  }
  return entries_.size();
}

}  // namespace mdp::http
