#include "Database.hpp"

#include <filesystem>

#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/SessionHandle.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/AutoPtr.h>
#include <Poco/Data/SessionImpl.h>
#include <Poco/Data/SessionPool.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "Sql.hpp"

namespace mdp::storage {
namespace {

using Clock = std::chrono::steady_clock;

void register_connectors() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Data::PostgreSQL::Connector::registerConnector();
    Poco::Data::SQLite::Connector::registerConnector();
  });
}

const char* connector_name(Dialect dialect) {
  return dialect == Dialect::PostgreSQL ? "postgresql" : "sqlite";
}

PGconn* pg_conn(Poco::Data::Session& session) {
  auto* handle =
      Poco::AnyCast<Poco::Data::PostgreSQL::SessionHandle*>(session.getProperty("handle"));
  return handle ? static_cast<PGconn*>(*handle) : nullptr;
}

Poco::Data::PostgreSQL::SessionHandle* pg_handle(Poco::Data::Session& session) {
  return Poco::AnyCast<Poco::Data::PostgreSQL::SessionHandle*>(session.getProperty("handle"));
}

// Poco 1.11's SessionHandle::disconnect() calls PQfinish() only while the connection is OK,
// so a session whose server went away keeps its PGconn, with every buffer and result it
// holds, forever once Poco drops it (fixed upstream in Poco 1.13). PostgreSQL sessions end
// here instead: a broken connection is finished after the last Poco object that can reach
// it is gone, which `last` proves by being the only reference left to the session.
void end_pg_session(std::optional<Poco::Data::Session>& session) noexcept {
  PGconn* broken = nullptr;
  Poco::AutoPtr<Poco::Data::SessionImpl> last;
  try {
    if (session && session->impl()) {
      PGconn* conn = pg_conn(*session);
      if (conn && PQstatus(conn) != CONNECTION_OK) {
        broken = conn;
        last = Poco::AutoPtr<Poco::Data::SessionImpl>(session->impl(), true);
      }
    }
  } catch (...) {
  }
  session.reset();
  if (!broken) return;
  if (last->referenceCount() != 1) return;  // still shared: Poco may touch it; leave it to Poco
  last = nullptr;                           // the pool drops it (not connected) and its handle
  PQfinish(broken);
}

// One round trip with the simple protocol (Poco's statements cost prepare+describe+execute).
bool pg_select_one(PGconn* conn) {
  if (!conn || PQstatus(conn) != CONNECTION_OK) return false;
  PGresult* result = PQexec(conn, "SELECT 1");
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  PQclear(result);
  return ok && PQstatus(conn) == CONNECTION_OK;
}

// set_config() with bound values, so no setting text is ever spliced into SQL.
void pg_set_config(PGconn* conn, const char* name, const std::string& value) {
  const char* params[2] = {name, value.c_str()};
  PGresult* result =
      PQexecParams(conn, "SELECT set_config($1, $2, false)", 2, nullptr, params, nullptr, nullptr, 0);
  const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
  const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string state = code ? code : "";
  PQclear(result);
  if (!ok) {
    throw DatabaseError(std::string("database.configure: cannot set ") + name + " (SQLSTATE " + state + ")",
                        state, "configure");
  }
}

void sqlite_exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    const std::string text = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      throw DatabaseUnavailable("database.configure: SQLite database is busy", {}, "busy");
    }
    throw DatabaseError("database.configure: " + sql::sanitize_text(text, 200), {}, sqlite3_errstr(rc));
  }
}

class ConfiguredPool : public Poco::Data::SessionPool {
 public:
  ConfiguredPool(const Database& db, const std::string& connector, const std::string& connection,
                 int min_sessions, int max_sessions, int idle_seconds)
      : Poco::Data::SessionPool(connector, connection, min_sessions, max_sessions, idle_seconds),
        db_(db) {}

 protected:
  void customizeSession(Poco::Data::Session& session) override { db_.configure_session(session); }

 private:
  const Database& db_;
};

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

bool is_connection_loss(const DatabaseUnavailable& error) {
  return error.reason() == "connection_failure" || error.sqlstate().rfind("08", 0) == 0 ||
         error.sqlstate() == "57P01";
}

// ---------------------------------------------------------------------------------------
Lease::Lease(Database& db, Poco::Data::Session session) : db_(&db), session_(std::move(session)) {}

Lease::Lease(Lease&& other) noexcept : db_(other.db_), session_(std::move(other.session_)) {
  other.db_ = nullptr;
  other.session_.reset();
}

Lease::~Lease() {
  if (db_ && session_) db_->release(&*session_);
  if (db_ && db_->dialect() == Dialect::PostgreSQL) end_pg_session(session_);
  session_.reset();
  if (db_) {
    std::lock_guard<std::mutex> lock(db_->mutex_);
    --db_->in_use_;
    db_->slot_free_.notify_one();
  }
}

Dialect Lease::dialect() const { return db_->dialect(); }

// ---------------------------------------------------------------------------------------
Transaction::Transaction(Lease& lease)
    : Transaction(lease.session(), lease.dialect(),
                  lease.dialect() == Dialect::SQLite ? &lease.database().writer_mutex() : nullptr) {}

Transaction::Transaction(Poco::Data::Session& session, Dialect dialect, std::mutex* writer_mutex)
    : session_(session), dialect_(dialect) {
  if (writer_mutex) writer_ = std::unique_lock<std::mutex>(*writer_mutex);
  try {
    session_.begin();
  } catch (...) {
    sql::rethrow_as_storage_error("transaction.begin", dialect_, &session_);
  }
  active_ = true;
}

Transaction::~Transaction() {
  if (active_) {
    try {
      session_.rollback();
    } catch (...) {
      // The connection is gone or broken; the server rolls back on its own.
    }
  }
}

void Transaction::commit() {
  if (!active_) throw DatabaseError("transaction.commit: no active transaction", {}, "internal");
  active_ = false;
  try {
    session_.commit();
  } catch (...) {
    try {
      session_.rollback();
    } catch (...) {
    }
    sql::rethrow_as_storage_error("transaction.commit", dialect_, &session_);
  }
  if (writer_.owns_lock()) writer_.unlock();
}

void Transaction::rollback() {
  if (!active_) return;
  active_ = false;
  try {
    session_.rollback();
  } catch (...) {
    sql::rethrow_as_storage_error("transaction.rollback", dialect_, &session_);
  }
  if (writer_.owns_lock()) writer_.unlock();
}

// ---------------------------------------------------------------------------------------
DedicatedSession::DedicatedSession(Poco::Data::Session session) : session_(std::move(session)) {}

DedicatedSession::DedicatedSession(DedicatedSession&& other) noexcept : session_(std::move(other.session_)) {
  other.session_.reset();  // a moved-from Session may still hold a reference; drop it now
}

DedicatedSession::~DedicatedSession() { end_pg_session(session_); }

// ---------------------------------------------------------------------------------------
NamedLock::NamedLock(Database& db, std::string name, std::optional<DedicatedSession> session, std::int64_t key)
    : db_(db), name_(std::move(name)), session_(std::move(session)), key_(key) {}

NamedLock::~NamedLock() {
  if (session_) {
    try {
      if (PGconn* conn = pg_conn(session_->session()); conn && PQstatus(conn) == CONNECTION_OK) {
        const std::string key = std::to_string(key_);
        const char* params[1] = {key.c_str()};
        PGresult* result = PQexecParams(conn, "SELECT pg_advisory_unlock($1::bigint)", 1, nullptr,
                                        params, nullptr, nullptr, 0);
        PQclear(result);
      }
    } catch (...) {
    }
    session_.reset();  // the lock also ends with the session
    return;
  }
  std::lock_guard<std::mutex> lock(db_.mutex_);
  db_.local_locks_.erase(name_);
}

bool NamedLock::still_held() {
  if (!session_) return true;
  try {
    return pg_select_one(pg_conn(session_->session()));
  } catch (...) {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
Database::Database(DatabaseUrl url, DatabaseOptions options)
    : url_(std::move(url)), options_(options) {
  register_connectors();
  if (options_.max_sessions == 0) throw DatabaseConfigError("database pool size must be at least 1");
  if (options_.min_sessions > options_.max_sessions) options_.min_sessions = options_.max_sessions;
  if (url_.in_memory()) {
    // Every SQLite connection to ":memory:" is its own database: keep exactly one, forever.
    options_.max_sessions = 1;
    options_.min_sessions = 1;
    // Poco's janitor never closes the last session below min_sessions; a day keeps its
    // timer period (ms, int) far from overflow.
    options_.pool_idle_seconds = 24 * 3600;
  } else if (url_.dialect == Dialect::SQLite) {
    const std::filesystem::path parent = std::filesystem::path(url_.sqlite_path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      throw DatabaseConfigError("cannot create the folder for the SQLite database " + url_.sqlite_path +
                                ": " + ec.message());
    }
  }
  pool_ = std::make_unique<ConfiguredPool>(*this, connector_name(url_.dialect), url_.connector_string(),
                                           static_cast<int>(options_.min_sessions),
                                           static_cast<int>(options_.max_sessions),
                                           options_.pool_idle_seconds);
}

Database::~Database() {
  try {
    pool_->shutdown();
  } catch (...) {
  }
}

void Database::configure_session(Poco::Data::Session& session) const {
  if (url_.dialect == Dialect::PostgreSQL) {
    PGconn* conn = pg_conn(session);
    if (!conn) throw DatabaseUnavailable("database.configure: no connection handle", "08006", "connection_failure");
    // Verbose errors carry the SQLSTATE in the message text, the only place Poco 1.11 keeps it.
    PQsetErrorVerbosity(conn, PQERRORS_VERBOSE);
    // libpq prints NOTICEs ("… already exists, skipping") to stderr by default; the storage
    // layer has nothing to say about them, and stderr is the service log.
    PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
    if (url_.schema) pg_set_config(conn, "search_path", *url_.schema);
    if (url_.statement_timeout_ms) {
      pg_set_config(conn, "statement_timeout", std::to_string(*url_.statement_timeout_ms));
    }
    return;
  }
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session);
  sqlite3_busy_timeout(db, static_cast<int>(options_.sqlite_busy_timeout.count()));
  sqlite_exec(db, "PRAGMA foreign_keys = ON");
  if (!url_.in_memory()) {
    // WAL: readers never block the writer and vice versa; NORMAL sync is durable at
    // checkpoints and safe against corruption (the usual WAL pairing).
    sqlite_exec(db, "PRAGMA journal_mode = WAL");
    sqlite_exec(db, "PRAGMA synchronous = NORMAL");
  }
}

void Database::mark_down() noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (url_.dialect != Dialect::PostgreSQL) return;
  const auto now = Clock::now();
  // First failure: probe right away on the next acquire (a restarted server is usually back).
  // Repeated failures (e.g. PQping says OK but the login fails): at most one connection
  // attempt per probe_interval, since each failed connect leaks an fd in Poco 1.11.
  const bool repeated = now - last_failure_ < options_.probe_interval;
  last_failure_ = now;
  if (!down_) next_probe_ = repeated ? now + options_.probe_interval : now;
  down_ = true;
}

void Database::check_breaker() {
  if (url_.dialect != Dialect::PostgreSQL) return;
  const std::string conninfo = url_.connector_string();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!down_) return;
    const auto now = Clock::now();
    if (pinging_ || now < next_probe_) {
      throw DatabaseUnavailable("database unreachable (waiting before the next connection probe)", "08006",
                                "connection_failure");
    }
    next_probe_ = now + options_.ping_interval;
    pinging_ = true;
  }
  // PQping opens and closes its own connection properly (no 1.11 fd leak), so it may run
  // often; with the server down on the same host it is refused at once.
  const PGPing ping = PQping(conninfo.c_str());
  std::lock_guard<std::mutex> lock(mutex_);
  pinging_ = false;
  if (ping != PQPING_OK) {
    throw DatabaseUnavailable("database unreachable", "08006", "connection_failure");
  }
  down_ = false;
}

void Database::validate_on_borrow(Poco::Data::Session& session) {
  if (url_.dialect != Dialect::PostgreSQL) return;
  PGconn* conn = pg_conn(session);
  bool stale = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = last_used_.find(conn); it != last_used_.end()) {
      stale = Clock::now() - it->second > options_.validate_after_idle || it->second <= last_failure_;
    } else {
      stale = false;  // fresh from connect (or first use)
    }
  }
  if (conn && PQstatus(conn) == CONNECTION_OK && (!stale || pg_select_one(conn))) return;
  // Broken (typically the server restarted): reconnect in place. PQreset keeps the PGconn,
  // so nothing leaks, and the Poco session stays valid.
  auto* handle = pg_handle(session);
  if (handle && handle->reset() && pg_select_one(conn)) {
    configure_session(session);
    return;
  }
  mark_down();
  throw DatabaseUnavailable("database connection lost and could not be re-established", "08006",
                            "connection_failure");
}

void Database::release(Poco::Data::Session* session) noexcept {
  if (url_.dialect != Dialect::PostgreSQL) return;
  try {
    PGconn* conn = pg_conn(*session);
    // A session given back inside a transaction (a failed one, or one opened behind
    // Transaction's back, which Poco's rollback-on-close does not see) is rolled back here,
    // so the next borrower never inherits it (RELIABILITY D10).
    if (conn && PQstatus(conn) == CONNECTION_OK) {
      const PGTransactionStatusType state = PQtransactionStatus(conn);
      if (state == PQTRANS_INTRANS || state == PQTRANS_INERROR) PQclear(PQexec(conn, "ROLLBACK"));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (conn && PQstatus(conn) == CONNECTION_OK) {
      last_used_[conn] = Clock::now();
    } else {
      last_used_.erase(conn);
    }
    if (last_used_.size() > 4 * options_.max_sessions) last_used_.clear();  // stale handles
  } catch (...) {
  }
}

Lease Database::acquire() {
  check_breaker();
  const auto deadline = Clock::now() + options_.acquire_timeout;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    ++waiting_;
    const bool got = slot_free_.wait_until(lock, deadline, [this] { return in_use_ < options_.max_sessions; });
    --waiting_;
    if (!got) {
      throw DatabaseUnavailable("no database session became free within " +
                                    std::to_string(options_.acquire_timeout.count()) + " ms",
                                {}, "pool exhausted");
    }
    ++in_use_;
  }
  std::optional<Poco::Data::Session> session;
  try {
    session.emplace(pool_->get());
    validate_on_borrow(*session);
    return Lease(*this, std::move(*session));
  } catch (...) {
    if (url_.dialect == Dialect::PostgreSQL) end_pg_session(session);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --in_use_;
      slot_free_.notify_one();
    }
    sql::rethrow_as_storage_error("database.acquire", url_.dialect, nullptr, this);
  }
}

DedicatedSession Database::open_dedicated() {
  check_breaker();
  try {
    DedicatedSession dedicated(Poco::Data::Session(connector_name(url_.dialect), url_.connector_string(),
                                                   static_cast<std::size_t>(url_.connect_timeout_s)));
    configure_session(dedicated.session());
    return dedicated;
  } catch (...) {
    sql::rethrow_as_storage_error("database.open_dedicated", url_.dialect, nullptr, this);
  }
}

std::int64_t Database::advisory_key(const std::string& name) const {
  // Advisory locks are database-wide; the data they guard lives in one schema. Scoping the
  // key by schema keeps deployments (and parallel tests) that share a database apart.
  const std::string scope = url_.schema ? *url_.schema + ":" : std::string();
  return static_cast<std::int64_t>(fnv1a64("mdp:" + scope + name));
}

std::unique_ptr<NamedLock> Database::try_lock(const std::string& name) {
  if (url_.dialect == Dialect::SQLite) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!local_locks_.insert(name).second) return nullptr;
    return std::unique_ptr<NamedLock>(new NamedLock(*this, name, std::nullopt, 0));
  }
  DedicatedSession session = open_dedicated();
  const std::int64_t key = advisory_key(name);
  sql::Rows rows = sql::Query(session.session(), url_.dialect, "database.try_lock",
                              "SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END")
                       .int64(key)
                       .rows();
  if (rows.empty() || rows[0].int64(0) != 1) return nullptr;
  return std::unique_ptr<NamedLock>(new NamedLock(*this, name, std::move(session), key));
}

bool Database::ping() noexcept {
  try {
    Lease lease = acquire();
    if (url_.dialect == Dialect::PostgreSQL) return pg_select_one(pg_conn(lease.session()));
    sql::Query(lease, "database.ping", "SELECT 1").rows();
    return true;
  } catch (...) {
    return false;
  }
}

PoolStats Database::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  PoolStats stats;
  stats.capacity = options_.max_sessions;
  stats.in_use = in_use_;
  stats.waiting = waiting_;
  stats.marked_down = down_;
  return stats;
}

}  // namespace mdp::storage
