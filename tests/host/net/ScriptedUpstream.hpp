// A scripted inner transport for the wrappers of host/src/net (RetryingUpstream,
// CircuitBreaker): answers from a script (the last answer repeats) and counts the calls, in
// all and per exchange.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "UpstreamHttp.hpp"

namespace mdp::net::test {

inline domain::UpstreamResult status(std::int32_t code, std::int64_t retry_after_ms = -1) {
  domain::UpstreamResult r;
  r.response.status = code;
  r.response.body = "body " + std::to_string(code);
  r.response.retry_after_ms = retry_after_ms;
  return r;
}

inline domain::UpstreamResult failure(domain::UpstreamFailure kind) {
  domain::UpstreamResult r;
  r.failure = kind;
  r.message = "failed";
  return r;
}

class ScriptedUpstream final : public domain::UpstreamHttp {
 public:
  explicit ScriptedUpstream(std::vector<domain::UpstreamResult> script) : script_(script.begin(), script.end()) {}
  domain::UpstreamResult send(const domain::UpstreamRequest& request, const domain::CallContext&) override {
    ++calls;
    ++calls_to[request.exchange];
    if (during_send) during_send();
    domain::UpstreamResult next = script_.front();
    if (script_.size() > 1) script_.pop_front();
    return next;
  }
  void answer(std::vector<domain::UpstreamResult> script) { script_.assign(script.begin(), script.end()); }

  int calls = 0;
  std::map<std::string, int> calls_to;  // by exchange
  std::function<void()> during_send;    // runs inside send(), e.g. to make a concurrent call

 private:
  std::deque<domain::UpstreamResult> script_;
};

}  // namespace mdp::net::test
