// The ABI hash test: plugin_abi.h may only change together with its version. The SHA-256 of
// the normalised header (see abi_hash.hpp) must equal the hash recorded for the header's
// MDP_ABI_MAJOR.MDP_ABI_MINOR in plugin-sdk/abi/abi-hash.txt.
#include <mdp/plugin_abi.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "abi_hash.hpp"

namespace {

using namespace mdp::abi_hash;

std::string source_dir() {
  const char* dir = std::getenv("MDP_SOURCE_DIR");
  return dir != nullptr ? dir : MDP_TEST_SOURCE_DIR;
}

const std::string kHeader = "plugin-sdk/include/mdp/plugin_abi.h";
const std::string kRecord = "plugin-sdk/abi/abi-hash.txt";

// "<major>.<minor>" -> hash; throws on a malformed line so the record stays machine-readable.
std::map<std::string, std::string> read_record(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string version, hash, extra;
    fields >> version >> hash;
    const bool version_ok = version.find('.') != std::string::npos &&
                            version.find_first_not_of("0123456789.") == std::string::npos;
    const bool hash_ok = hash.size() == 64 && hash.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!version_ok || !hash_ok || (fields >> extra)) {
      throw std::runtime_error(kRecord + ":" + std::to_string(number) +
                               ": expected '<major>.<minor> <64 lowercase hex>', got '" + line + "'");
    }
    if (!out.emplace(version, hash).second) {
      throw std::runtime_error(kRecord + ":" + std::to_string(number) + ": version " + version +
                               " is recorded twice");
    }
  }
  return out;
}

TEST(PluginSdkAbiHash, HeaderMatchesTheHashRecordedForItsVersion) {
  const std::string header = read_file(source_dir() + "/" + kHeader);
  const std::string version = abi_version(header);
  ASSERT_FALSE(version.empty()) << "cannot find MDP_ABI_MAJOR / MDP_ABI_MINOR in " << kHeader;
  ASSERT_EQ(version, std::to_string(MDP_ABI_MAJOR) + "." + std::to_string(MDP_ABI_MINOR))
      << "the header on disk and the header this test was compiled with disagree; rebuild";

  const std::map<std::string, std::string> record = read_record(read_file(source_dir() + "/" + kRecord));
  const std::string computed = abi_hash(header);
  const auto it = record.find(version);
  ASSERT_NE(it, record.end())
      << "ABI " << version << " has no recorded hash in " << kRecord << ".\n"
      << "If you are releasing ABI " << version << " (CONTRACT.md rule 1), append this line to it:\n"
      << "  " << version << " " << computed << "\n";
  EXPECT_EQ(it->second, computed)
      << kHeader << " changed but MDP_ABI_MAJOR.MDP_ABI_MINOR is still " << version << ".\n"
      << "  recorded for " << version << ": " << it->second << "\n"
      << "  computed now:     " << computed << "\n"
      << "Comments and whitespace do not count (see tests/plugin-sdk/abi_hash.hpp); this was a real\n"
      << "declaration change. Released versions are frozen, so either undo it, or:\n"
      << "  - fields appended / things added: bump MDP_ABI_MINOR,\n"
      << "  - anything existing changed, removed or reordered: bump MDP_ABI_MAJOR (reset MINOR),\n"
      << "then add the line printed by `<build>/tests/mdp_abi_hash " << kHeader << "` to " << kRecord
      << " (keep the old lines).";
}

// The normalisation itself: what must and must not change the hash.
TEST(PluginSdkAbiHash, CommentAndWhitespaceEditsDoNotCount) {
  const std::string base = "/* top */\n#define A 1u\ntypedef struct s {\n  int x; /* x */\n} s;\n";
  const std::string h = abi_hash(base);
  EXPECT_EQ(h, abi_hash("/* top, reworded\n over two lines */\n#define A 1u\ntypedef struct s {\n  int x;\n} s;\n"));
  EXPECT_EQ(h, abi_hash("  #define   A   1u  \n\n\ntypedef struct s{int x;// x\n}s;\n"));
  EXPECT_EQ(h, abi_hash("#define A 1u\r\ntypedef   struct\ts {\r\n\tint x;   \r\n} s;\r\n"));
  EXPECT_EQ(normalise(base), "#define A 1u\ntypedef struct s{int x;}s;\n");
  // Re-wrapping a declaration does not count either.
  EXPECT_EQ(h, abi_hash("#define A 1u\ntypedef struct s\n{\n  int\n  x;\n}\ns;\n"));
}

TEST(PluginSdkAbiHash, DeclarationEditsCount) {
  const std::string base = "#define A 1u\ntypedef struct s {\n  int x;\n  long y;\n} s;\n";
  const std::string h = abi_hash(base);
  EXPECT_NE(h, abi_hash("#define A 2u\ntypedef struct s {\n  int x;\n  long y;\n} s;\n"));
  EXPECT_NE(h, abi_hash("#define A 1u\ntypedef struct s {\n  long y;\n  int x;\n} s;\n"));
  EXPECT_NE(h, abi_hash("#define A 1u\ntypedef struct s {\n  int x;\n  long y;\n  int z;\n} s;\n"));
  EXPECT_NE(h, abi_hash("#define A 1u\ntypedef struct s {\n  int x_;\n  long y;\n} s;\n"));
  // Token boundaries survive: "long y" is not "longy".
  EXPECT_NE(abi_hash("long y;"), abi_hash("longy;"));
  // Function-like and object-like macros stay apart.
  EXPECT_NE(abi_hash("#define F(x) x\n"), abi_hash("#define F (x) x\n"));
  // A directive's line boundary survives.
  EXPECT_NE(abi_hash("#define A 1\nint x;\n"), abi_hash("#define A 1 int x;\n"));
}

TEST(PluginSdkAbiHash, LiteralsAreNotComments) {
  EXPECT_EQ(normalise("#define S \"a /* b */ c\" /* d */\n"), "#define S \"a /* b */ c\"\n");
  EXPECT_EQ(normalise("#define S \"x  //  y\"\n"), "#define S \"x  //  y\"\n");
  EXPECT_EQ(normalise("#define C '\"' /* q */\n"), "#define C '\"'\n");
}

TEST(PluginSdkAbiHash, KnownSha256) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
