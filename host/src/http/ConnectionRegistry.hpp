// Live connections and what each is doing, so the server can bound what Poco 1.11 leaves
// unbounded (RELIABILITY.md §3.1, H3/H4/H10):
// - Poco's receive timeout is per recv, so a client trickling a header line every few
//   seconds holds a thread forever. reap() answers 408 and closes any connection that has
//   waited for a complete request head longer than `head_deadline`, and shuts the read side
//   of one that has been reading a body longer than `body_deadline`.
// - Poco's stop() neither drains nor closes idle keep-alive connections. close_idle() lets
//   a drain end connections that sit between requests; close_all() cuts the rest when the
//   drain deadline passes.
// A connection registers itself for the lifetime of its thread (Scope); the request pipeline
// on that thread finds its entry through current(). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include <Poco/Logger.h>
#include <Poco/Net/StreamSocket.h>

namespace mdp::http {

class ConnectionRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Phase {
    AwaitingRequest,  // between requests, or receiving a request head
    ReadingBody,      // our pipeline is reading the request body
    Handling,         // routing, the route itself, writing the response
  };

  struct Entry {
    Poco::Net::StreamSocket socket;
    Phase phase = Phase::AwaitingRequest;
    Clock::time_point since;
    bool timed_out = false;  // reap() cut it short
  };

  // Registers the calling thread's connection for the scope's lifetime.
  class Scope {
   public:
    Scope(ConnectionRegistry& registry, const Poco::Net::StreamSocket& socket);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    ConnectionRegistry& registry_;
    std::shared_ptr<Entry> entry_;
  };

  ConnectionRegistry(std::chrono::milliseconds head_deadline, std::chrono::milliseconds body_deadline,
                     Poco::Logger& access_log);

  // The entry of the connection served by the calling thread, or nullptr.
  static Entry* current() noexcept;

  void set_phase(Entry& entry, Phase phase);
  // Whether reap() cut this connection short (the pipeline then answers 408, not 400).
  bool timed_out(const Entry& entry) const;

  std::size_t size() const;
  // Enforces the head and body deadlines; returns how many connections it cut.
  std::size_t reap(Clock::time_point now);
  // Drain: shuts the read side of connections waiting for a request that have no bytes
  // pending, so they end now instead of at the keep-alive timeout.
  std::size_t close_idle();
  // After the drain deadline: shuts every connection down in both directions.
  std::size_t close_all();

 private:
  std::shared_ptr<Entry> add(const Poco::Net::StreamSocket& socket);
  void remove(const std::shared_ptr<Entry>& entry);

  const std::chrono::milliseconds head_deadline_;
  const std::chrono::milliseconds body_deadline_;
  Poco::Logger& access_log_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Entry>> entries_;
};

}  // namespace mdp::http
