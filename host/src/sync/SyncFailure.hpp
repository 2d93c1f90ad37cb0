// Why a metadata sync failed, in words safe for sync_runs.error and an admin's screen: the
// failure kind and a short cause, never SQL text, bound values or an upstream body.
#pragma once

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>

#include "CallContext.hpp"

namespace mdp::sync {

// The sync stopped itself before committing (suspect answer, lock lost, shutdown); what() is
// already the safe reason.
class SyncAborted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kInterruptedReason =
    "interrupted: the sync was cancelled (shutdown); nothing applied";
inline constexpr const char* kTimedOutReason = "timed out: the sync passed its deadline; nothing applied";

// Longest reason kept (the part taken from an adapter's or database's message is cut first).
inline constexpr std::size_t kMaxFailureReasonBytes = 300;

// The reason for `failure` (the exception that ended the sync). A cancelled context turns
// cancellations and timeouts into "interrupted: ..." so a shutdown reads as such.
// `internal_detail` receives the raw what() of unexpected exceptions, for the log only.
std::string describe_sync_failure(const std::exception_ptr& failure, const domain::CallContext& context,
                                  std::string* internal_detail = nullptr);

// True when `reason` (from describe_sync_failure) says the sync was interrupted by shutdown.
bool is_interruption(const std::string& reason);

}  // namespace mdp::sync
