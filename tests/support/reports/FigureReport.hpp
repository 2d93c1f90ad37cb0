// Figures a test measured, merged under the test's own key into one JSON report file:
// $MDP_BINARY_DIR/reports/<file> = {"<key>": {...figures...}, ...}. Each ctest test is its
// own process and several may run at once, so the read-merge-write happens under an
// exclusive flock on a sibling lock file. The figures also go to stdout (the test log).
#pragma once

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>

namespace mdp::test {

// Returns the report's path. Throws std::runtime_error when MDP_BINARY_DIR is unset or the
// file cannot be written (a test that promised figures must not silently lose them).
std::filesystem::path record_figures(const std::string& file, const std::string& key,
                                     const Poco::JSON::Object::Ptr& figures);

}  // namespace mdp::test
