// Live connections and what each is doing, so the server can bound what Poco 1.11 leaves
// unbounded (RELIABILITY.md §3.1, H3/H4/H10):
// - Poco's receive timeout is per recv, so a client trickling a header line every few
//   seconds holds a thread forever. reap() answers 408 and closes any connection that has
//   waited for a complete request head longer than `head_deadline`, and shuts the read side
//   of one that has been reading a body longer than `body_deadline`.
// - Poco's stop() neither drains nor closes idle keep-alive connections. close_idle() lets
//   a drain end connections that sit between requests; close_all() cuts the rest when the
//   drain deadline passes.
// Each entry owns a dup() of the connection's descriptor: Poco closes its own descriptor
// whenever the connection ends, and the number may be reused at once by a new connection,
// so the reaper and the drain never touch Poco's descriptor from another thread.
// A connection registers itself for the lifetime of its thread (Scope); the request pipeline
// on that thread finds its entry through current(). Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
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

  class Entry {
   public:
    explicit Entry(int fd) noexcept : fd_(fd) {}
    ~Entry();
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;

    // Our own duplicate of the connection's descriptor (-1 if dup failed): valid for the
    // entry's lifetime, whatever Poco does with its descriptor.
    int fd() const noexcept { return fd_; }

   private:
    friend class ConnectionRegistry;
    const int fd_;
    Phase phase_ = Phase::AwaitingRequest;
    Clock::time_point since_;
    bool timed_out_ = false;  // reap() claimed it
    bool linger_ = false;
  };

  static constexpr std::chrono::milliseconds kLingerTime{2000};
  static constexpr std::size_t kLingerMaxBytes = 4 * 1024 * 1024;

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

  // A request head is complete and the pipeline takes over. False when reap() has already
  // claimed the connection (and answered 408): the pipeline must then send nothing.
  bool begin_request(Entry& entry);
  void set_phase(Entry& entry, Phase phase);
  // Whether reap() cut this connection short.
  bool timed_out(const Entry& entry) const;
  // The connection is being closed while request bytes may still be arriving (413, broken
  // framing): when it ends, half-close and discard input for a bounded time before the
  // final close, so the kernel does not answer the unread bytes with a reset that can
  // destroy our response before the client reads it (RFC 9112 §9.6, nginx lingering_close).
  void linger_on_close(Entry& entry);
  // For an answer written outside Poco (TrackedConnection): true if the caller may answer,
  // false if reap() already has. Either way reap() leaves the connection alone afterwards.
  bool claim_final_answer(Entry& entry);

  std::size_t size() const;
  // Enforces the head and body deadlines; returns how many connections it cut.
  std::size_t reap(Clock::time_point now);
  // Drain: shuts the read side of connections waiting for a request that have no bytes
  // pending, so they end now instead of at the keep-alive timeout.
  std::size_t close_idle();
  // After the drain deadline: shuts every connection down in both directions.
  std::size_t close_all();

  // Peer address of a descriptor ("-" style empty string when unknown), for log lines.
  static std::string peer_host(int fd);

 private:
  std::shared_ptr<Entry> add(const Poco::Net::StreamSocket& socket);
  // Lingers if asked to, then unregisters. Poco has closed its descriptor by now; ours
  // (closed when the entry dies) is what still holds the connection open.
  void finish(const std::shared_ptr<Entry>& entry);

  const std::chrono::milliseconds head_deadline_;
  const std::chrono::milliseconds body_deadline_;
  Poco::Logger& access_log_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<Entry>> entries_;
};

}  // namespace mdp::http
