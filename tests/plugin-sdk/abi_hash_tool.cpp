// mdp_abi_hash [path/to/plugin_abi.h] [--normalised]
// Prints "<major>.<minor> <sha256>" for the header, the line plugin-sdk/abi/abi-hash.txt
// records; with --normalised, prints the normalised text that is hashed instead.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "abi_hash.hpp"

int main(int argc, char** argv) {
  std::string path = MDP_TEST_SOURCE_DIR "/plugin-sdk/include/mdp/plugin_abi.h";
  bool show_text = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--normalised") == 0) {
      show_text = true;
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("usage: %s [plugin_abi.h] [--normalised]\n", argv[0]);
      return 0;
    } else {
      path = argv[i];
    }
  }
  try {
    const std::string text = mdp::abi_hash::read_file(path);
    if (show_text) {
      std::fputs(mdp::abi_hash::normalise(text).c_str(), stdout);
      return 0;
    }
    const std::string version = mdp::abi_hash::abi_version(text);
    if (version.empty()) {
      std::fprintf(stderr, "%s: no MDP_ABI_MAJOR / MDP_ABI_MINOR\n", path.c_str());
      return 1;
    }
    std::printf("%s %s\n", version.c_str(), mdp::abi_hash::abi_hash(text).c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mdp_abi_hash: %s\n", e.what());
    return 1;
  }
}
