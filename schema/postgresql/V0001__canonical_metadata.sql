-- V0001: canonical metadata (PostgreSQL). Never edit once released: the migrator records a
-- SHA-256 of this file and refuses to start when an applied migration changed. Add V0002.
-- schema/sqlite/V0001__canonical_metadata.sql has the same tables and columns (a test checks).
--
-- Conventions, the same in both dialects:
-- * Times are BIGINT milliseconds since the Unix epoch, UTC (what the API and plugins use;
--   no time-zone conversions inside the database).
-- * Decimals (tick size, lot step, ...) are NUMERIC here, written from canonical decimal text
--   with a $n::numeric cast and read back with ::text, never through double. SQLite keeps
--   the canonical text itself.
-- * Enumerations are TEXT with CHECK constraints, spelled as the domain's to_string() spells
--   them, so a bad value fails at write time in both dialects.
-- * Nothing is deleted: delisted symbols stay, marked.

-- Exchanges as loaded from plugins (one row per plugin id), with why a plugin is not usable.
CREATE TABLE exchanges (
  id             TEXT PRIMARY KEY CHECK (id ~ '^[a-z0-9_-]{1,64}$'),  -- plugin id rule (DESIGN.md)
  name           TEXT NOT NULL,
  plugin_version TEXT NOT NULL DEFAULT '',
  abi            TEXT NOT NULL DEFAULT '',  -- "major.minor" the plugin was built with
  status         TEXT NOT NULL CHECK (status IN ('loaded', 'failed', 'disabled')),
  status_reason  TEXT,                      -- set when status is failed/disabled
  updated_at     BIGINT NOT NULL
);

-- The canonical interval catalogue (host-owned; rows mirror domain/Interval.cpp).
CREATE TABLE intervals (
  code           TEXT PRIMARY KEY,
  duration_ms    BIGINT NOT NULL CHECK (duration_ms > 0),  -- nominal; 1M = 30 days
  calendar_month BOOLEAN NOT NULL DEFAULT FALSE,           -- 1M buckets follow the calendar
  sort_order     INTEGER NOT NULL UNIQUE
);

INSERT INTO intervals (code, duration_ms, calendar_month, sort_order) VALUES
  ('1m',  60000, FALSE, 1),
  ('3m',  180000, FALSE, 2),
  ('5m',  300000, FALSE, 3),
  ('15m', 900000, FALSE, 4),
  ('30m', 1800000, FALSE, 5),
  ('1h',  3600000, FALSE, 6),
  ('2h',  7200000, FALSE, 7),
  ('4h',  14400000, FALSE, 8),
  ('6h',  21600000, FALSE, 9),
  ('8h',  28800000, FALSE, 10),
  ('12h', 43200000, FALSE, 11),
  ('1d',  86400000, FALSE, 12),
  ('3d',  259200000, FALSE, 13),
  ('1w',  604800000, FALSE, 14),
  ('1M',  2592000000, TRUE, 15);

-- What each exchange supports, from its plugin descriptor (replaced as a whole at load).
CREATE TABLE exchange_intervals (
  exchange    TEXT NOT NULL REFERENCES exchanges (id) ON DELETE CASCADE,
  "interval"  TEXT NOT NULL REFERENCES intervals (code),  -- quoted: INTERVAL is a keyword
  native_code TEXT NOT NULL,
  page_cap    INTEGER NOT NULL CHECK (page_cap > 0),      -- max candles per upstream request
  PRIMARY KEY (exchange, "interval")
);

-- Every market an exchange lists or listed. Canonical symbol and native symbol are both
-- unique per exchange so either resolves to exactly one row.
CREATE TABLE symbols (
  id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  exchange           TEXT NOT NULL REFERENCES exchanges (id),
  symbol             TEXT NOT NULL,  -- canonical: BASE/QUOTE, BASE/QUOTE:SETTLE[-YYMMDD]
  native_symbol      TEXT NOT NULL,
  market_type        TEXT NOT NULL CHECK (market_type IN ('spot', 'perpetual', 'future')),
  base               TEXT NOT NULL,
  quote              TEXT NOT NULL,
  settle             TEXT,
  tick_size          NUMERIC CHECK (tick_size > 0),
  lot_step           NUMERIC CHECK (lot_step > 0),
  min_qty            NUMERIC CHECK (min_qty >= 0),
  min_notional       NUMERIC CHECK (min_notional >= 0),
  contract_size      NUMERIC CHECK (contract_size > 0),
  price_max_decimals INTEGER CHECK (price_max_decimals >= 0),
  price_max_sig_figs INTEGER CHECK (price_max_sig_figs > 0),
  alias_of           TEXT,           -- canonical symbol this one is an alias of
  native_status      TEXT,           -- the exchange's own status word, for diagnostics
  status             TEXT NOT NULL
                     CHECK (status IN ('trading', 'halted', 'pre_trading', 'settling', 'delisted')),
  listed_at          BIGINT,
  delivery_at        BIGINT,         -- dated futures only
  first_seen         BIGINT NOT NULL,
  last_seen          BIGINT NOT NULL,
  delisted_at        BIGINT,
  updated_at         BIGINT NOT NULL,  -- last change of any stored field (not of last_seen)
  CONSTRAINT symbols_exchange_symbol_key UNIQUE (exchange, symbol),
  CONSTRAINT symbols_exchange_native_key UNIQUE (exchange, native_symbol),
  -- delisted_at is set exactly when the symbol is delisted.
  CONSTRAINT symbols_delisted_at_check CHECK ((status = 'delisted') = (delisted_at IS NOT NULL))
);
-- Listing filters (GET /v1/symbols); each ends in (exchange, symbol) so the keyset cursor
-- (exchange, symbol) stays an index range. Filtering by exchange uses the unique key.
CREATE INDEX symbols_status_idx ON symbols (status, exchange, symbol);
CREATE INDEX symbols_market_type_idx ON symbols (market_type, exchange, symbol);
CREATE INDEX symbols_base_idx ON symbols (base, exchange, symbol);
CREATE INDEX symbols_quote_idx ON symbols (quote, exchange, symbol);

-- One metadata sync of one exchange. A row stays 'running' if the process died mid-sync;
-- the syncer marks such rows failed at start.
CREATE TABLE sync_runs (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
-- "Last successful sync per exchange" (readiness, /v1/exchanges) reads only this.
CREATE INDEX sync_runs_success_idx ON sync_runs (exchange, finished_at) WHERE outcome = 'succeeded';

-- History of tracked fields of symbols: what changed, from what, to what, when, and in
-- which sync. Values are text (canonical decimals or status words) in both dialects.
CREATE TABLE symbol_changes (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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

-- OAuth2 client-credentials clients. Only a password hash of the secret is stored.
CREATE TABLE api_clients (
  id          TEXT PRIMARY KEY,       -- client_id
  name        TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,          -- PHC string (argon2id), never the secret
  scopes      TEXT NOT NULL DEFAULT '',  -- space-separated scope list
  created_at  BIGINT NOT NULL,
  revoked_at  BIGINT
);
