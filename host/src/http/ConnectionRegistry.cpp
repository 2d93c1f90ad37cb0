#include "ConnectionRegistry.hpp"

#include <algorithm>
#include "AccessLogLine.hpp"
#include "Problem.hpp"
#include "RawProblemResponse.hpp"
#include "RequestId.hpp"

namespace mdp::http {

namespace {

thread_local ConnectionRegistry::Entry* t_current = nullptr;

}  // namespace

ConnectionRegistry::Scope::Scope(ConnectionRegistry& registry, const Poco::Net::StreamSocket& socket)
    : registry_(registry), entry_(registry.add(socket)) {
  t_current = entry_.get();
}

ConnectionRegistry::Scope::~Scope() {
  t_current = nullptr;
  registry_.remove(entry_);
}

ConnectionRegistry::ConnectionRegistry(std::chrono::milliseconds head_deadline,
                                       std::chrono::milliseconds body_deadline, Poco::Logger& access_log)
    : head_deadline_(head_deadline), body_deadline_(body_deadline), access_log_(access_log) {}

ConnectionRegistry::Entry* ConnectionRegistry::current() noexcept { return t_current; }

std::shared_ptr<ConnectionRegistry::Entry> ConnectionRegistry::add(const Poco::Net::StreamSocket& socket) {
  auto entry = std::make_shared<Entry>();
  entry->socket = socket;
  entry->since = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.push_back(entry);
  return entry;
}

void ConnectionRegistry::remove(const std::shared_ptr<Entry>& entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = std::find(entries_.begin(), entries_.end(), entry);
  if (found == entries_.end()) return;
  *found = std::move(entries_.back());
  entries_.pop_back();
}

void ConnectionRegistry::set_phase(Entry& entry, Phase phase) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  entry.phase = phase;
  entry.since = now;
}

bool ConnectionRegistry::timed_out(const Entry& entry) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entry.timed_out;
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
      if (entry->timed_out) continue;
      const auto waited = now - entry->since;
      if (entry->phase == Phase::AwaitingRequest && waited > head_deadline_) {
        entry->timed_out = true;
        stuck_in_head.emplace_back(entry, waited);
      } else if (entry->phase == Phase::ReadingBody && waited > body_deadline_) {
        // The pipeline's read then ends early; it sees timed_out and answers 408 itself.
        entry->timed_out = true;
        try {
          entry->socket.shutdownReceive();
        } catch (...) {
        }
        ++cut;
      }
    }
  }
  // Outside the lock: these write to the network.
  for (const auto& [entry, waited] : stuck_in_head) {
    const std::string request_id = new_request_id();
    std::string remote;
    try {
      remote = entry->socket.peerAddress().host().toString();
    } catch (...) {
    }
    const std::size_t bytes = send_raw_problem(
        entry->socket.impl()->sockfd(), Problem(ProblemType::RequestTimeout, "request head not received in time"), request_id);
    try {
      entry->socket.shutdown();
    } catch (...) {
    }
    if (access_log_.information()) {
      const auto waited_us = std::chrono::duration_cast<std::chrono::microseconds>(waited).count();
      access_log_.information(
          AccessLogLine{"-", "-", 408, static_cast<std::int64_t>(waited_us), request_id, {}, remote, bytes}.format());
    }
    ++cut;
  }
  return cut;
}

std::size_t ConnectionRegistry::close_idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::size_t closed = 0;
  for (const auto& entry : entries_) {
    if (entry->phase != Phase::AwaitingRequest) continue;
    try {
      // Bytes waiting means a request is arriving: let it be served (with Connection: close).
      if (entry->socket.available() > 0) continue;
      entry->socket.shutdownReceive();
      ++closed;
    } catch (...) {
    }
  }
  return closed;
}

std::size_t ConnectionRegistry::close_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& entry : entries_) {
    try {
      entry->socket.shutdown();
    } catch (...) {
    }
  }
  return entries_.size();
}

}  // namespace mdp::http
