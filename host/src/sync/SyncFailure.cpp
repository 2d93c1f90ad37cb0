#include "SyncFailure.hpp"

#include <algorithm>

#include "DatabaseError.hpp"
#include "ExchangeAdapter.hpp"
#include "SymbolDiff.hpp"

namespace mdp::sync {
namespace {

// Cuts at a UTF-8 boundary and replaces control characters: the text may come from a plugin.
std::string bounded(const std::string& text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (std::size_t i = 0; i < text.size() && out.size() < max_bytes; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? ' ' : static_cast<char>(c));
  }
  if (out.size() < text.size()) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && (static_cast<unsigned char>(out.back()) & 0x80) != 0) out.pop_back();
    out += "...";
  }
  return out;
}

std::string with_cause(const std::string& prefix, const std::string& cause) {
  const std::size_t room = kMaxFailureReasonBytes > prefix.size() ? kMaxFailureReasonBytes - prefix.size() : 0;
  return prefix + bounded(cause, room);
}

bool shut_down(const domain::CallContext& context) { return context.cancelled() && !context.expired(); }

}  // namespace

std::string describe_sync_failure(const std::exception_ptr& failure, const domain::CallContext& context,
                                  std::string* internal_detail) {
  try {
    std::rethrow_exception(failure);
  } catch (const SyncAborted& e) {
    return bounded(e.what(), kMaxFailureReasonBytes);
  } catch (const domain::AdapterError& e) {
    const bool cancellation =
        e.code() == domain::AdapterErrorCode::Cancelled || e.code() == domain::AdapterErrorCode::Timeout;
    if (cancellation && shut_down(context)) return kInterruptedReason;
    // The adapter's message is the plugin's sanitised, capped summary (status, field), not a body.
    return with_cause(std::string("upstream ") + domain::to_string(e.code()) + ": ", e.what());
  } catch (const storage::SymbolDiffError& e) {
    return with_cause("upstream answer unusable: ", e.what());
  } catch (const storage::InvalidValue& e) {
    return with_cause("upstream answer refused by storage: ", e.what());
  } catch (const storage::DatabaseUnavailable& e) {
    // Storage messages name the operation and SQLSTATE only (no SQL, no values).
    return with_cause("database unavailable: ", e.what());
  } catch (const storage::DatabaseError& e) {
    return with_cause("database error: ", e.what());
  } catch (const std::exception& e) {
    if (internal_detail != nullptr) *internal_detail = e.what();
    return "internal error (see the host log)";
  } catch (...) {
    if (internal_detail != nullptr) *internal_detail = "non-standard exception";
    return "internal error (see the host log)";
  }
}

bool is_interruption(const std::string& reason) { return reason.rfind("interrupted:", 0) == 0; }

}  // namespace mdp::sync
