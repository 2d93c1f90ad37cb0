// mdp-fake-exchange as a process: prints its URL, serves DIR/routes.json, stops on SIGTERM,
// refuses non-loopback addresses.
#include <gtest/gtest.h>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace {

const char* const kExe = MDP_FAKE_EXCHANGE_EXE;

std::filesystem::path make_dir() {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("mdp-fake-cli-" + std::to_string(::getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir / "binance");
  std::ofstream(dir / "binance" / "ping.json") << R"({"pong":true})";
  std::ofstream(dir / "routes.json") << R"({"routes":[
    {"path":"/fapi/v1/ping","file":"binance/ping.json","headers":{"X-MBX-USED-WEIGHT-1M":"1"}}]})";
  return dir;
}

struct CliRun {
  int exit_code = -1;
  std::string out, err;
};

// Runs the CLI to completion (for the refusal cases).
CliRun run(const std::vector<std::string>& args) {
  Poco::Pipe out, err;
  Poco::ProcessHandle handle = Poco::Process::launch(kExe, args, nullptr, &out, &err);
  Poco::PipeInputStream out_stream(out), err_stream(err);
  CliRun result;
  Poco::StreamCopier::copyToString(out_stream, result.out);
  Poco::StreamCopier::copyToString(err_stream, result.err);
  result.exit_code = handle.wait();
  return result;
}

}  // namespace

TEST(FakeExchangeCli, ServesTheDirectoryAndStopsOnSigterm) {
  const auto dir = make_dir();
  Poco::Pipe out, err;
  Poco::ProcessHandle handle =
      Poco::Process::launch(kExe, {"--dir", dir.string(), "--host", "127.0.0.1", "--port", "0"}, nullptr, &out, &err);
  Poco::PipeInputStream out_stream(out);
  std::string url;
  std::getline(out_stream, url);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  const Poco::URI uri(url);
  ASSERT_GT(uri.getPort(), 0);

  Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
  session.setTimeout(Poco::Timespan(5, 0));
  Poco::Net::HTTPRequest request("GET", "/fapi/v1/ping", Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  EXPECT_EQ(response.getStatus(), 200);
  EXPECT_EQ(body, R"({"pong":true})");
  EXPECT_EQ(response.get("X-MBX-USED-WEIGHT-1M"), "1");
  session.reset();

  ASSERT_EQ(::kill(handle.id(), SIGTERM), 0);
  EXPECT_EQ(handle.wait(), 0);
  std::filesystem::remove_all(dir);
}

TEST(FakeExchangeCli, StopsOnSigint) {
  const auto dir = make_dir();
  Poco::Pipe out, err;
  Poco::ProcessHandle handle = Poco::Process::launch(kExe, {"--dir", dir.string()}, nullptr, &out, &err);
  Poco::PipeInputStream out_stream(out);
  std::string url;
  std::getline(out_stream, url);
  ASSERT_EQ(url.rfind("http://127.0.0.1:", 0), 0u) << url;
  ASSERT_EQ(::kill(handle.id(), SIGINT), 0);
  EXPECT_EQ(handle.wait(), 0);
  std::filesystem::remove_all(dir);
}

TEST(FakeExchangeCli, RefusesNonLoopbackAddresses) {
  const auto dir = make_dir();
  for (const char* host : {"0.0.0.0", "192.168.0.1", "example.com"}) {
    const CliRun result = run({"--dir", dir.string(), "--host", host});
    EXPECT_EQ(result.exit_code, 2) << host;
    EXPECT_TRUE(result.out.empty()) << host;
    EXPECT_NE(result.err.find("loopback"), std::string::npos) << result.err;
  }
  std::filesystem::remove_all(dir);
}

TEST(FakeExchangeCli, ArgumentErrors) {
  EXPECT_EQ(run({}).exit_code, 2);                                     // --dir missing
  EXPECT_EQ(run({"--dir", "/nonexistent-mdp-dir"}).exit_code, 2);     // no routes.json
  EXPECT_EQ(run({"--dir", "/tmp", "--port", "70000"}).exit_code, 2);  // bad port
  EXPECT_EQ(run({"--bogus"}).exit_code, 2);
  const CliRun help = run({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--dir"), std::string::npos);
}
