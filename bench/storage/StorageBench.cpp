// mdp-bench-storage [--database-url URL] [--rows N] [Google Benchmark flags]
//
// Target 6 of issue 11: N symbol rows (10,000) written through the real storage path,
// SymbolRepository::apply_sync, once as a sync where all are new and once as a sync where
// all are unchanged (last_seen bumped), on PostgreSQL (URL: --database-url, else
// MDP_TEST_DATABASE_URL, else the scripts/test-db default) and on SQLite (temp file); beside
// the limits in the same run: a bare libpq COPY of the same rows into a temp table shaped like
// `symbols` (the baseline), the same COPY into a logged table, and a bare sqlite3 insert.
// Only the write is timed (manual time, wall clock: the work is split between this process
// and the server); resetting the table before each "new" round is not. items_per_second =
// rows/s.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "BenchDatabase.hpp"
#include "BenchSymbols.hpp"
#include "CopyBaseline.hpp"
#include "SqliteBaseline.hpp"
#include "SymbolDiff.hpp"
#include "SymbolRepository.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using mdp::bench::BenchDatabase;
using mdp::storage::Dialect;

constexpr std::int64_t kStartMs = 1'800'000'000'000;

struct Fixture {
  std::vector<mdp::domain::Symbol> symbols;
  std::unique_ptr<BenchDatabase> postgresql;
  std::unique_ptr<BenchDatabase> sqlite;
  std::unique_ptr<BenchDatabase> sqlite_bare;  // a second file for the bare sqlite3 inserts
  std::unique_ptr<mdp::bench::CopyBaseline> copy;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

void finish(benchmark::State& state, std::size_t rows) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
  state.counters["rows"] = static_cast<double>(rows);
}

void clear_symbols(BenchDatabase& db) {
  db.execute(db.url().dialect == Dialect::PostgreSQL ? "TRUNCATE symbols, symbol_changes" : "DELETE FROM symbols");
}

// Every row new: an empty table before each timed apply_sync.
void apply_sync_new(benchmark::State& state, BenchDatabase& db, const std::vector<mdp::domain::Symbol>& symbols) {
  mdp::storage::SymbolRepository repository(db.db());
  const mdp::storage::SymbolDiff diff = mdp::storage::diff_symbols({}, symbols);
  std::int64_t now = kStartMs;
  for (auto _ : state) {
    clear_symbols(db);
    const auto start = Clock::now();
    const auto counts = repository.apply_sync(mdp::bench::kBenchExchange, diff, std::nullopt, ++now);
    state.SetIterationTime(seconds_since(start));
    if (counts.added != static_cast<std::int64_t>(symbols.size())) {
      state.SkipWithError("apply_sync did not add every row");
      return;
    }
  }
  finish(state, symbols.size());
}

// Every row listed again unchanged: one last_seen bump per row.
void apply_sync_unchanged(benchmark::State& state, BenchDatabase& db,
                          const std::vector<mdp::domain::Symbol>& symbols) {
  mdp::storage::SymbolRepository repository(db.db());
  clear_symbols(db);
  std::int64_t now = kStartMs;
  repository.apply_sync(mdp::bench::kBenchExchange, mdp::storage::diff_symbols({}, symbols), std::nullopt, now);
  const mdp::storage::SymbolDiff diff =
      mdp::storage::diff_symbols(repository.load_exchange(mdp::bench::kBenchExchange), symbols);
  if (diff.unchanged_seen.size() != symbols.size()) {
    state.SkipWithError("stored rows differ from the written ones: not an all-unchanged sync");
    return;
  }
  for (auto _ : state) {
    const auto start = Clock::now();
    repository.apply_sync(mdp::bench::kBenchExchange, diff, std::nullopt, ++now);
    state.SetIterationTime(seconds_since(start));
  }
  finish(state, symbols.size());
}

void copy_into(benchmark::State& state, mdp::bench::CopyBaseline& copy, const std::string& table,
               const std::vector<mdp::domain::Symbol>& symbols) {
  std::int64_t now = kStartMs;
  for (auto _ : state) {
    copy.truncate(table);
    const auto start = Clock::now();
    const std::size_t rows = copy.copy(table, symbols, ++now);
    state.SetIterationTime(seconds_since(start));
    if (rows != symbols.size()) {
      state.SkipWithError("COPY did not write every row");
      return;
    }
  }
  finish(state, symbols.size());
}

void sqlite_bare_insert(benchmark::State& state, BenchDatabase& db, const std::vector<mdp::domain::Symbol>& symbols) {
  mdp::bench::SqliteBaseline bare(db.folder() / "bench.db");
  std::int64_t now = kStartMs;
  for (auto _ : state) {
    bare.clear();
    const auto start = Clock::now();
    const std::size_t rows = bare.insert(symbols, ++now);
    state.SetIterationTime(seconds_since(start));
    if (rows != symbols.size()) {
      state.SkipWithError("insert did not write every row");
      return;
    }
  }
  finish(state, symbols.size());
}

template <class F>
void add(const std::string& name, F&& fn) {
  benchmark::RegisterBenchmark(name.c_str(), std::forward<F>(fn))->UseManualTime()->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  const char* env_url = std::getenv("MDP_TEST_DATABASE_URL");
  std::string url = env_url != nullptr && *env_url != '\0' ? env_url : "postgresql://mdp:mdp@127.0.0.1:5432/mdp_test";
  std::size_t rows = 10'000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--database-url") == 0 && i + 1 < argc) {
      url = argv[++i];
    } else if (std::strcmp(argv[i], "--rows") == 0 && i + 1 < argc) {
      rows = static_cast<std::size_t>(std::stoull(argv[++i]));
    } else {
      std::cerr << "mdp-bench-storage: unexpected argument '" << argv[i] << "'\n";
      return 2;
    }
  }
  Fixture f;
  try {
    f.symbols = mdp::bench::bench_symbols(rows);
    f.postgresql = BenchDatabase::postgresql(url);
    f.sqlite = BenchDatabase::sqlite();
    f.sqlite_bare = BenchDatabase::sqlite();
    f.copy = std::make_unique<mdp::bench::CopyBaseline>(f.postgresql->url(), f.postgresql->schema());
    f.copy->create_table("copy_temp", true);
    f.copy->create_table("copy_logged", false);
  } catch (const std::exception& error) {
    std::cerr << "mdp-bench-storage: " << error.what() << '\n';
    return 1;
  }
  const auto& symbols = f.symbols;
  add("storage/postgresql/apply_sync_new", [&](benchmark::State& s) { apply_sync_new(s, *f.postgresql, symbols); });
  add("storage/postgresql/apply_sync_unchanged",
      [&](benchmark::State& s) { apply_sync_unchanged(s, *f.postgresql, symbols); });
  add("storage/postgresql/copy_temp_table", [&](benchmark::State& s) { copy_into(s, *f.copy, "copy_temp", symbols); });
  add("storage/postgresql/copy_logged_table",
      [&](benchmark::State& s) { copy_into(s, *f.copy, "copy_logged", symbols); });
  add("storage/sqlite/apply_sync_new", [&](benchmark::State& s) { apply_sync_new(s, *f.sqlite, symbols); });
  add("storage/sqlite/apply_sync_unchanged", [&](benchmark::State& s) { apply_sync_unchanged(s, *f.sqlite, symbols); });
  add("storage/sqlite/bare_insert", [&](benchmark::State& s) { sqlite_bare_insert(s, *f.sqlite_bare, symbols); });
  try {
    benchmark::RunSpecifiedBenchmarks();
  } catch (const std::exception& error) {
    std::cerr << "mdp-bench-storage: " << error.what() << '\n';
    benchmark::Shutdown();
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
