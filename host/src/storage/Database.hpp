// One database (PostgreSQL or SQLite) behind a bounded Poco::Data::SessionPool.
//
// Why the extra machinery around Poco 1.11 (RELIABILITY.md §4, §8 #17–#24):
// - SessionPool::get() throws SessionPoolExhaustedException at once when full: we put a
//   counting semaphore in front, so callers wait up to `acquire_timeout` and then get
//   DatabaseUnavailable.
// - A pooled PostgreSQL session is not checked before use: we run a cheap `SELECT 1` on
//   borrow when it was idle longer than `validate_after_idle`, and repair a broken one in
//   place with PQreset (which keeps the PGconn, so the 1.11 fd leak on dropped sessions
//   does not grow).
// - Every failed connect leaks an fd in 1.11: after a connection failure the database is
//   marked down and only PQping (no leak) is tried, by one caller at a time and at most once
//   per `ping_interval`, until it answers; until then acquire() fails fast with
//   DatabaseUnavailable. A short ping interval keeps the requests that fail after the
//   server is back to a few (RELIABILITY.md D2). Real connection attempts that keep failing
//   although PQping answers (e.g. a wrong password) are capped at one per `probe_interval`.
// - Session state survives the return to the pool: locks that must not leak (advisory
//   locks) are taken on dedicated, non-pooled sessions (open_dedicated(), NamedLock).
// SQLite: WAL journal, busy_timeout and foreign_keys=ON on every connection. SQLite allows
// one writer at a time; Transaction serialises this process's writers on a mutex so two
// threads never deadlock upgrading read locks. Several processes writing one SQLite file
// is not supported (use PostgreSQL for that).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <Poco/Data/Session.h>

#include "DatabaseError.hpp"
#include "DatabaseUrl.hpp"

namespace Poco::Data {
class SessionPool;
}

namespace mdp::storage {

struct DatabaseOptions {
  std::size_t max_sessions = 8;  // pool capacity; forced to 1 for sqlite::memory:
  std::size_t min_sessions = 1;
  int pool_idle_seconds = 60;    // idle sessions above min are closed after this
  std::chrono::milliseconds acquire_timeout{2000};
  std::chrono::milliseconds validate_after_idle{5000};
  std::chrono::milliseconds probe_interval{1000};  // repeated connection failures: one attempt per this
  std::chrono::milliseconds ping_interval{50};     // while marked down: one PQping per this
  std::chrono::milliseconds sqlite_busy_timeout{5000};
};

class Database;

// A session borrowed from the pool; returned (and a waiter woken) on destruction. A
// transaction left open is rolled back by Poco on return (session.begin() only).
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  Poco::Data::Session& session() { return *session_; }
  Dialect dialect() const;
  Database& database() { return *db_; }

 private:
  friend class Database;
  Lease(Database& db, Poco::Data::Session session);
  Database* db_;
  std::optional<Poco::Data::Session> session_;
};

// RAII transaction through session.begin()/commit()/rollback() (never SQL "BEGIN", so
// Poco knows about it and rolls it back if the session goes back to the pool open).
// Destruction without commit() rolls back. On SQLite it also holds the database's
// writer mutex (see Database).
class Transaction {
 public:
  explicit Transaction(Lease& lease);
  Transaction(Poco::Data::Session& session, Dialect dialect, std::mutex* writer_mutex = nullptr);
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  void commit();
  void rollback();
  bool active() const { return active_; }

 private:
  Poco::Data::Session& session_;
  Dialect dialect_;
  std::unique_lock<std::mutex> writer_;
  bool active_ = false;
};

// A session outside the pool (migrations, advisory locks), ended when destroyed. A
// PostgreSQL connection whose server went away is finished then too (Poco 1.11 leaks it).
class DedicatedSession {
 public:
  explicit DedicatedSession(Poco::Data::Session session);
  DedicatedSession(DedicatedSession&& other) noexcept;
  DedicatedSession& operator=(DedicatedSession&&) = delete;
  DedicatedSession(const DedicatedSession&) = delete;
  DedicatedSession& operator=(const DedicatedSession&) = delete;
  ~DedicatedSession();

  Poco::Data::Session& session() { return *session_; }

 private:
  std::optional<Poco::Data::Session> session_;
};

// A cross-process lock by name, held until destroyed. PostgreSQL: a session-level advisory
// lock on a dedicated session that is closed (not pooled) on release, so the lock cannot
// leak to another borrower and dies with the connection if this process dies. SQLite:
// a lock inside this process (SQLite is single-process here).
class NamedLock {
 public:
  NamedLock(const NamedLock&) = delete;
  NamedLock& operator=(const NamedLock&) = delete;
  ~NamedLock();
  const std::string& name() const { return name_; }
  // PostgreSQL: true while the lock's connection is alive (a cheap round trip). A false
  // answer means the lock is gone; stop the work it protects.
  bool still_held();

 private:
  friend class Database;
  NamedLock(Database& db, std::string name, std::optional<DedicatedSession> session, std::int64_t key);
  Database& db_;
  std::string name_;
  std::optional<DedicatedSession> session_;
  std::int64_t key_;
};

struct PoolStats {
  std::size_t capacity = 0;
  std::size_t in_use = 0;   // leases currently out
  std::size_t waiting = 0;  // callers waiting for a lease
  bool marked_down = false; // connection failure seen; only probes until it answers
};

class Database {
 public:
  explicit Database(DatabaseUrl url, DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Dialect dialect() const { return url_.dialect; }
  const DatabaseUrl& url() const { return url_; }
  const DatabaseOptions& options() const { return options_; }

  // Borrows a session, waiting up to options().acquire_timeout. Throws DatabaseUnavailable.
  Lease acquire();

  // Runs fn(Lease&). With retry_on_connection_loss, a DatabaseUnavailable caused by a lost
  // connection is retried once on a fresh lease: use it for reads and for idempotent
  // single-transaction writes only.
  template <class F>
  auto with_lease(F&& fn, bool retry_on_connection_loss = false) -> decltype(fn(std::declval<Lease&>()));

  // A session outside the pool (migrations, advisory locks). Throws DatabaseUnavailable.
  DedicatedSession open_dedicated();

  // Tries to take the lock `name` (e.g. "sync:binance_futures") without waiting.
  // nullopt when someone else holds it. Throws DatabaseUnavailable. On PostgreSQL the lock
  // is per (schema of the URL, name): databases shared by several schemas do not collide.
  std::unique_ptr<NamedLock> try_lock(const std::string& name);
  // The PostgreSQL advisory-lock key try_lock(name) takes (as in pg_locks: classid is the
  // high 32 bits, objid the low 32 bits).
  std::int64_t advisory_key(const std::string& name) const;

  // True when a session can be borrowed and answers `SELECT 1` (readiness probe).
  bool ping() noexcept;

  PoolStats stats() const;

  // Applies per-connection settings (search_path, statement_timeout, SQLite pragmas).
  void configure_session(Poco::Data::Session& session) const;

  // Marks the database down after a connection failure (used by the SQL helpers too).
  void mark_down() noexcept;

  std::mutex& writer_mutex() { return writer_mutex_; }

 private:
  friend class Lease;
  friend class NamedLock;
  void release(Poco::Data::Session* session) noexcept;
  void validate_on_borrow(Poco::Data::Session& session);
  void check_breaker();

  DatabaseUrl url_;
  DatabaseOptions options_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;

  mutable std::mutex mutex_;
  std::condition_variable slot_free_;
  std::size_t in_use_ = 0;
  std::size_t waiting_ = 0;
  bool down_ = false;
  bool pinging_ = false;  // one PQping at a time; the others fail fast meanwhile
  std::chrono::steady_clock::time_point next_probe_{};
  // Last connection failure: sessions last used before it are validated on borrow.
  std::chrono::steady_clock::time_point last_failure_{};
  // Last return time per PostgreSQL connection handle (for validate-on-borrow).
  std::map<const void*, std::chrono::steady_clock::time_point> last_used_;

  std::mutex writer_mutex_;
  std::set<std::string> local_locks_;  // SQLite NamedLocks
};

bool is_connection_loss(const DatabaseUnavailable& error);

template <class F>
auto Database::with_lease(F&& fn, bool retry_on_connection_loss)
    -> decltype(fn(std::declval<Lease&>())) {
  if (!retry_on_connection_loss) {
    Lease lease = acquire();
    return fn(lease);
  }
  try {
    Lease lease = acquire();
    return fn(lease);
  } catch (const DatabaseUnavailable& error) {
    if (!is_connection_loss(error)) throw;
  }
  Lease lease = acquire();
  return fn(lease);
}

}  // namespace mdp::storage
