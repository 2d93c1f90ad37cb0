-- V0001: canonical metadata (SQLite). Never edit once released: the migrator records a
-- SHA-256 of this file and refuses to start when an applied migration changed. Add V0002.
-- schema/postgresql/V0001__canonical_metadata.sql has the same tables and columns (a test
-- checks); read its comments for the meaning of each column.
--
-- Dialect differences, and why:
-- * Decimals are TEXT holding canonical decimal text (SQLite has no exact decimal type; its
--   NUMERIC affinity would turn "0.10" into a REAL). Canonical text is unique per value, so
--   equality comparisons still work.
-- * Ids are INTEGER PRIMARY KEY (the rowid); booleans are INTEGER 0/1.
-- * The exchange id rule uses GLOB (no regular expressions in SQLite).
-- * Foreign keys are enforced because every connection sets PRAGMA foreign_keys = ON.

CREATE TABLE exchanges (
  id             TEXT PRIMARY KEY
                 CHECK (length(id) BETWEEN 1 AND 64 AND id NOT GLOB '*[^a-z0-9_-]*'),
  name           TEXT NOT NULL,
  plugin_version TEXT NOT NULL DEFAULT '',
  abi            TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL CHECK (status IN ('loaded', 'failed', 'disabled')),
  status_reason  TEXT,
  updated_at     BIGINT NOT NULL
);

CREATE TABLE intervals (
  code           TEXT PRIMARY KEY,
  duration_ms    BIGINT NOT NULL CHECK (duration_ms > 0),
  calendar_month INTEGER NOT NULL DEFAULT 0 CHECK (calendar_month IN (0, 1)),
  sort_order     INTEGER NOT NULL UNIQUE
);

INSERT INTO intervals (code, duration_ms, calendar_month, sort_order) VALUES
  ('1m',  60000, 0, 1),
  ('3m',  180000, 0, 2),
  ('5m',  300000, 0, 3),
  ('15m', 900000, 0, 4),
  ('30m', 1800000, 0, 5),
  ('1h',  3600000, 0, 6),
  ('2h',  7200000, 0, 7),
  ('4h',  14400000, 0, 8),
  ('6h',  21600000, 0, 9),
  ('8h',  28800000, 0, 10),
  ('12h', 43200000, 0, 11),
  ('1d',  86400000, 0, 12),
  ('3d',  259200000, 0, 13),
  ('1w',  604800000, 0, 14),
  ('1M',  2592000000, 1, 15);

CREATE TABLE exchange_intervals (
  exchange    TEXT NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
  "interval"  TEXT NOT NULL REFERENCES intervals (code),
  native_code TEXT NOT NULL,
  page_cap    INTEGER NOT NULL CHECK (page_cap > 0),
  PRIMARY KEY (exchange, "interval")
);

CREATE TABLE symbols (
  id                 INTEGER PRIMARY KEY,
  exchange           TEXT NOT NULL REFERENCES exchanges (id),
  symbol             TEXT NOT NULL,
  native_symbol      TEXT NOT NULL,
  market_type        TEXT NOT NULL CHECK (market_type IN ('spot', 'perpetual', 'future')),
  base               TEXT NOT NULL,
  quote              TEXT NOT NULL,
  settle             TEXT,
  tick_size          TEXT,  -- canonical decimal text
  lot_step           TEXT,
  min_qty            TEXT,
  min_notional       TEXT,
  contract_size      TEXT,
  price_max_decimals INTEGER CHECK (price_max_decimals >= 0),
  price_max_sig_figs INTEGER CHECK (price_max_sig_figs > 0),
  alias_of           TEXT,
  native_status      TEXT,
  status             TEXT NOT NULL
                     CHECK (status IN ('trading', 'halted', 'pre_trading', 'settling', 'delisted')),
  listed_at          BIGINT,
  delivery_at        BIGINT,
  first_seen         BIGINT NOT NULL,
  last_seen          BIGINT NOT NULL,
  delisted_at        BIGINT,
  updated_at         BIGINT NOT NULL,
  CONSTRAINT symbols_exchange_symbol_key UNIQUE (exchange, symbol),
  CONSTRAINT symbols_exchange_native_key UNIQUE (exchange, native_symbol),
  CONSTRAINT symbols_delisted_at_check CHECK ((status = 'delisted') = (delisted_at IS NOT NULL))
);
CREATE INDEX symbols_status_idx ON symbols (status, exchange, symbol);
CREATE INDEX symbols_market_type_idx ON symbols (market_type, exchange, symbol);
CREATE INDEX symbols_base_idx ON symbols (base, exchange, symbol);
CREATE INDEX symbols_quote_idx ON symbols (quote, exchange, symbol);

CREATE TABLE sync_runs (
  id          INTEGER PRIMARY KEY,
  exchange    TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
  added       INTEGER NOT NULL DEFAULT 0 CHECK (added >= 0),
  changed     INTEGER NOT NULL DEFAULT 0 CHECK (changed >= 0),
  delisted    INTEGER NOT NULL DEFAULT 0 CHECK (delisted >= 0),
  error       TEXT,
  CHECK ((outcome = 'running') = (finished_at IS NULL))
);
CREATE INDEX sync_runs_exchange_idx ON sync_runs (exchange, started_at);
CREATE INDEX sync_runs_success_idx ON sync_runs (exchange, finished_at) WHERE outcome = 'succeeded';

CREATE TABLE symbol_changes (
  id          INTEGER PRIMARY KEY,
  exchange    TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  field       TEXT NOT NULL CHECK (field IN ('status', 'tick_size', 'lot_step', 'min_qty',
                                             'min_notional', 'contract_size')),
  old_value   TEXT,
  new_value   TEXT,
  changed_at  BIGINT NOT NULL,
  sync_run_id BIGINT REFERENCES sync_runs (id)
);
CREATE INDEX symbol_changes_symbol_idx ON symbol_changes (exchange, symbol, changed_at);
CREATE INDEX symbol_changes_time_idx ON symbol_changes (changed_at);

CREATE TABLE api_clients (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  scopes      TEXT NOT NULL DEFAULT '',
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT
);
