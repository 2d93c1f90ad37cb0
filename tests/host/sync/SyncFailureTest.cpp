#include "SyncFailure.hpp"

#include <gtest/gtest.h>

#include "DatabaseError.hpp"
#include "ExchangeAdapter.hpp"
#include "SymbolDiff.hpp"

namespace mdp::sync {
namespace {

using namespace std::chrono_literals;

template <class E>
std::string describe(const E& error, const domain::CallContext& context, std::string* internal = nullptr) {
  return describe_sync_failure(std::make_exception_ptr(error), context, internal);
}

TEST(SyncFailure, NamesTheKindAndKeepsTheShortCause) {
  const auto context = domain::CallContext::with_timeout(10s);
  EXPECT_EQ(describe(domain::AdapterError(domain::AdapterErrorCode::UpstreamUnavailable, "HTTP 503"), context),
            "upstream upstream_unavailable: HTTP 503");
  EXPECT_EQ(describe(storage::DatabaseUnavailable("database.acquire: connection lost (SQLSTATE 57P01)"), context),
            "database unavailable: database.acquire: connection lost (SQLSTATE 57P01)");
  EXPECT_EQ(describe(storage::DatabaseError("symbols.apply: statement failed (SQLSTATE 23505)"), context),
            "database error: symbols.apply: statement failed (SQLSTATE 23505)");
  EXPECT_EQ(describe(storage::SymbolDiffError("native symbol BTCUSDT listed twice"), context),
            "upstream answer unusable: native symbol BTCUSDT listed twice");
  EXPECT_EQ(describe(storage::InvalidValue("tick_size of X/Y is not a canonical decimal"), context),
            "upstream answer refused by storage: tick_size of X/Y is not a canonical decimal");
  EXPECT_EQ(describe(SyncAborted("lock lost: whatever"), context), "lock lost: whatever");
}

TEST(SyncFailure, UnexpectedExceptionsStayInTheLog) {
  const auto context = domain::CallContext::with_timeout(10s);
  std::string internal;
  EXPECT_EQ(describe(std::runtime_error("SELECT * FROM secrets"), context, &internal),
            "internal error (see the host log)");
  EXPECT_EQ(internal, "SELECT * FROM secrets");
  EXPECT_EQ(describe_sync_failure(std::make_exception_ptr(42), context), "internal error (see the host log)");
}

TEST(SyncFailure, CancellationUnderShutdownReadsAsInterrupted) {
  std::atomic<bool> shutdown{true};
  const auto stopping = domain::CallContext::with_timeout(10s, &shutdown);
  const auto running = domain::CallContext::with_timeout(10s);
  const domain::AdapterError cancelled(domain::AdapterErrorCode::Cancelled, "call cancelled");
  const domain::AdapterError timeout(domain::AdapterErrorCode::Timeout, "abandoned");
  EXPECT_EQ(describe(cancelled, stopping), kInterruptedReason);
  EXPECT_EQ(describe(timeout, stopping), kInterruptedReason);
  EXPECT_TRUE(is_interruption(describe(cancelled, stopping)));
  EXPECT_EQ(describe(timeout, running), "upstream timeout: abandoned");
  EXPECT_FALSE(is_interruption(describe(timeout, running)));
}

TEST(SyncFailure, LongOrControlCharacterCausesAreBounded) {
  const auto context = domain::CallContext::with_timeout(10s);
  const std::string reason =
      describe(domain::AdapterError(domain::AdapterErrorCode::UpstreamProtocol, std::string(1000, 'x') + "\n"), context);
  EXPECT_LE(reason.size(), kMaxFailureReasonBytes + 3);
  EXPECT_EQ(reason.substr(reason.size() - 3), "...");
  const std::string multibyte = describe(
      domain::AdapterError(domain::AdapterErrorCode::UpstreamProtocol, std::string(299, 'y') + "\xE2\x82\xAC" + "tail"),
      context);
  EXPECT_EQ(multibyte.find('\xE2'), std::string::npos) << "a cut never splits a UTF-8 sequence";
  EXPECT_EQ(describe(domain::AdapterError(domain::AdapterErrorCode::UpstreamProtocol, "a\nb\tc"), context),
            "upstream upstream_protocol: a b c");
}

}  // namespace
}  // namespace mdp::sync
