// Admission control (RELIABILITY.md H5): a counter of requests being produced, checked
// first in the pipeline. Above the limit the request is answered 503 at once instead of
// waiting for a thread, so overload is shed with an answer rather than Poco's silent
// connection resets at the end of its queue.
#pragma once

#include <atomic>

namespace mdp::http {

class InFlightGate {
 public:
  // limit <= 0 admits everything.
  explicit InFlightGate(int limit) noexcept : limit_(limit) {}

  // Holds one admission while alive (when admitted()).
  class Ticket {
   public:
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (gate_) gate_->in_flight_.fetch_sub(1);
    }
    bool admitted() const noexcept { return gate_ != nullptr; }

   private:
    friend class InFlightGate;
    explicit Ticket(InFlightGate* gate) noexcept : gate_(gate) {}
    InFlightGate* gate_;
  };

  Ticket enter() noexcept {
    const int now = in_flight_.fetch_add(1) + 1;
    if (limit_ > 0 && now > limit_) {
      in_flight_.fetch_sub(1);
      return Ticket(nullptr);
    }
    return Ticket(this);
  }

  int in_flight() const noexcept { return in_flight_.load(); }
  int limit() const noexcept { return limit_; }

 private:
  const int limit_;
  std::atomic<int> in_flight_{0};
};

}  // namespace mdp::http
