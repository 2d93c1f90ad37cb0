#include "ExchangeAdapter.hpp"

namespace mdp::domain {

const char* to_string(AdapterErrorCode code) noexcept {
  switch (code) {
    case AdapterErrorCode::InvalidArgument: return "invalid_argument";
    case AdapterErrorCode::NotFound: return "not_found";
    case AdapterErrorCode::Unsupported: return "unsupported";
    case AdapterErrorCode::UpstreamUnavailable: return "upstream_unavailable";
    case AdapterErrorCode::UpstreamRateLimited: return "upstream_rate_limited";
    case AdapterErrorCode::UpstreamProtocol: return "upstream_protocol";
    case AdapterErrorCode::Timeout: return "timeout";
    case AdapterErrorCode::Cancelled: return "cancelled";
    case AdapterErrorCode::PluginError: return "plugin_error";
    case AdapterErrorCode::PluginBadOutput: return "plugin_bad_output";
  }
  return "unknown";
}

}  // namespace mdp::domain
