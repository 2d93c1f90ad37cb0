// At most N holders at a time, waiting a bounded time for a place. Bounds the memory the
// token endpoint's argon2id hashes take (19 MiB each) whatever the number of requests.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace mdp::auth {

class ConcurrencyLimit {
 public:
  explicit ConcurrencyLimit(int places) : free_(places < 1 ? 1 : places) {}

  // Holds a place while alive when acquired().
  class Place {
   public:
    Place(Place&& other) noexcept : limit_(other.limit_) { other.limit_ = nullptr; }
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;
    Place& operator=(Place&&) = delete;
    ~Place() {
      if (limit_) limit_->release();
    }
    bool acquired() const noexcept { return limit_ != nullptr; }

   private:
    friend class ConcurrencyLimit;
    explicit Place(ConcurrencyLimit* limit) noexcept : limit_(limit) {}
    ConcurrencyLimit* limit_;
  };

  Place acquire_for(std::chrono::milliseconds wait) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!available_.wait_for(lock, wait, [this] { return free_ > 0; })) return Place(nullptr);
    --free_;
    return Place(this);
  }

 private:
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++free_;
    }
    available_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable available_;
  int free_;
};

}  // namespace mdp::auth
