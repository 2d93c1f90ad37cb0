// What the query services throw besides domain::AdapterError and CandleQueryError. Every
// message is written for the API client (it becomes a problem `detail`): it names the
// parameter or the thing that was not found, never SQL, paths or upstream text.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mdp::service {

// The named exchange, symbol or run does not exist. HTTP 404.
class NotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A parameter value the service refuses (unsupported interval, start >= end, a stored-value
// rule). `parameter` names it; `allowed` lists the accepted values when there is a short
// list (the exchange's intervals). HTTP 400.
class RequestRejected : public std::runtime_error {
 public:
  RequestRejected(std::string parameter, const std::string& message, std::vector<std::string> allowed = {})
      : std::runtime_error(message), parameter_(std::move(parameter)), allowed_(std::move(allowed)) {}
  const std::string& parameter() const noexcept { return parameter_; }
  const std::vector<std::string>& allowed() const noexcept { return allowed_; }

 private:
  std::string parameter_;
  std::vector<std::string> allowed_;
};

// The metadata store cannot be reached right now (storage::DatabaseUnavailable behind it).
// Transient: HTTP 503 with Retry-After.
class StoreUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Something this host would need is not running: an exchange whose plugin failed to load,
// or on-demand sync on a host that has no syncer. Not transient. HTTP 503.
class CapabilityUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True for ids the plugin loader accepts ([a-z0-9_-]{1,64}); anything else cannot name an
// exchange, so lookups answer "unknown" without asking the database.
bool is_plausible_exchange_id(const std::string& id) noexcept;

// `text` cut to at most `max_bytes` (on a UTF-8 boundary) with "…" appended when cut: for
// echoing a client's value back in a message without echoing a 1 KiB string.
std::string shorten_for_message(const std::string& text, std::size_t max_bytes = 64);

}  // namespace mdp::service
