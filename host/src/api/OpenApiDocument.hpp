// The OpenAPI 3.1 document of this API: host/openapi/openapi.json, embedded into the binary
// at build time (EmbedText.cmake), so the document served always belongs to the code that
// serves it and nothing has to be found on disk at run time.
#pragma once

#include <string_view>

namespace mdp::api {

std::string_view openapi_document();

}  // namespace mdp::api
