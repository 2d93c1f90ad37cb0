#include "RequestLoad.hpp"

namespace mdp::app::integration {

RequestLoad::RequestLoad(std::uint16_t port, std::vector<std::string> targets, std::string bearer_token, int threads,
                         std::chrono::seconds request_timeout, std::chrono::milliseconds pause)
    : port_(port),
      targets_(std::move(targets)),
      token_(std::move(bearer_token)),
      timeout_(request_timeout),
      pause_(pause) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this, i] { run(static_cast<std::size_t>(i)); });
}

RequestLoad::~RequestLoad() { stop(); }

void RequestLoad::stop() {
  stop_.store(true);
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

std::vector<Sample> RequestLoad::samples() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return samples_;
}

std::size_t RequestLoad::count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return samples_.size();
}

bool RequestLoad::wait_for_more(std::size_t n, std::chrono::milliseconds limit) {
  const std::size_t target = count() + n;
  const auto until = std::chrono::steady_clock::now() + limit;
  while (count() < target) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

void RequestLoad::run(std::size_t first_target) {
  for (std::size_t i = first_target; !stop_.load(); ++i) {
    Sample sample;
    sample.started = std::chrono::steady_clock::now();
    sample.target = targets_[i % targets_.size()];
    sample.reply = authorized_get(port_, sample.target, token_, timeout_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      samples_.push_back(std::move(sample));
    }
    std::this_thread::sleep_for(pause_);
  }
}

}  // namespace mdp::app::integration
