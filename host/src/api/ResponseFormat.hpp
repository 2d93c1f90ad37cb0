// JSON or CSV for the routes that offer both (candles, symbols).
//
// `format=json|csv` wins when given (400 for anything else). Otherwise the Accept header
// (RFC 9110 §12.5.1): for each of application/json and text/csv the most specific matching
// media range gives its q; CSV only when its q is strictly higher, so "*/*", no Accept, or
// an Accept naming neither all mean JSON. Problems are always JSON.
#pragma once

#include <string_view>

#include "Request.hpp"

namespace mdp::api {

enum class ResponseFormat { Json, Csv };

ResponseFormat negotiate_format(const http::Request& request);

// Exposed for unit tests: the choice for one Accept value.
ResponseFormat format_from_accept(std::string_view accept);

inline constexpr std::string_view kCsvContentType = "text/csv; charset=utf-8";

}  // namespace mdp::api
