/*
 * Market Data Platform — plugin ABI (plain C).
 *
 * This header is the whole contract between the host (mdp-host) and an exchange
 * adapter plugin (mdp-<id>.so). It is C11 and C++17 clean and uses only
 * <stdint.h>, <stddef.h> and <stdbool.h> types. See plugin-sdk/CONTRACT.md for
 * the numbered rules; the most important ones are repeated next to the fields.
 *
 * Conventions used in the annotations:
 *   [in]        written by the caller, read by the callee.
 *   [out]       written by the callee.
 *   borrowed    valid only for the duration of the call that passed it in.
 *   host-owned  allocated and freed by the host; the plugin never frees it.
 *   plugin-owned allocated and freed by the plugin; the host never frees it.
 *   thread: any      may be called from any thread, concurrently.
 *   thread: loader   called only from the host's loader thread, never concurrently.
 *
 * Versioning: every struct that crosses the boundary starts with `struct_size`
 * (the plugin table alone starts with its magic, then its struct_size).
 * New fields are only ever appended, with an MDP_ABI_MINOR bump;
 * readers copy min(struct_size, sizeof(their struct)) and zero-fill the rest.
 * A change to an existing field bumps MDP_ABI_MAJOR.
 * An appended field must start at or after the previous version's sizeof: several
 * structs end in tail padding (mdp_error, mdp_candle, mdp_http_request,
 * mdp_interval_support, mdp_candle_request), and a field placed in that padding would
 * leave sizeof, hence struct_size, unchanged. struct_size is never smaller than the
 * ABI 1.0 size. The two pair structs without struct_size (mdp_http_header,
 * mdp_config_entry) are frozen: arrays of them are packed at sizeof.
 * plugin-sdk/abi/abi-hash.txt records a hash of this header per version; a test
 * fails when the declarations change without a version bump.
 *
 * Values: decimals are canonical decimal strings matching
 * -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?, never "-0", at most 128 characters, taken
 * from the exchange's own token text, never through a binary floating type
 * (mdp/decimal.hpp has the normaliser and the check the host applies).
 * Text fields (const char * without a size next to them) are NUL-terminated UTF-8
 * and never NULL; byte buffers (body + body_size) may be NULL when their size is 0.
 * Times are int64 UTC milliseconds. Ranges are half-open [start, end) on candle
 * open time. Absent values are explicit: an empty string "" for text/decimals,
 * -1 for integers; never 0.
 */
#ifndef MDP_PLUGIN_ABI_H
#define MDP_PLUGIN_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "MDPL" — first field of the plugin table, checked before anything else. */
#define MDP_PLUGIN_MAGIC 0x4D44504Cu
#define MDP_ABI_MAJOR 1u
#define MDP_ABI_MINOR 0u

/* Name of the only exported symbol. */
#define MDP_PLUGIN_ENTRY_SYMBOL "mdp_plugin_entry"

/* ------------------------------------------------------------------ status */

typedef int32_t mdp_status;

#define MDP_OK 0
#define MDP_E_INVALID_ARGUMENT 1      /* the request itself is wrong */
#define MDP_E_NOT_FOUND 2             /* unknown symbol / market upstream */
#define MDP_E_UPSTREAM_UNAVAILABLE 3  /* 5xx, connect/read failure or timeout */
#define MDP_E_UPSTREAM_RATE_LIMITED 4 /* 429/418; retry_after_ms set when known */
#define MDP_E_UPSTREAM_PROTOCOL 5     /* body does not match the documented shape */
#define MDP_E_TIMEOUT 6               /* the call's deadline passed */
#define MDP_E_CANCELLED 7             /* the host cancelled the call */
#define MDP_E_INTERNAL 8              /* a bug or an exception inside the plugin */
#define MDP_E_UNSUPPORTED 9           /* e.g. an interval the plugin does not serve */
#define MDP_E_SINK_REJECTED 10        /* the host's sink refused the rows; stop emitting */
#define MDP_E_OUT_OF_BUDGET 11        /* the host's rate budget refused the request */
/* Highest status code this ABI version defines; anything above (or negative) is
 * treated as MDP_E_INTERNAL by the host. Plugins return only codes defined here. */
#define MDP_STATUS_MAX 11

/*
 * Error report for one call. host-owned, borrowed for the call.
 * The host passes `message` as an empty string (message[0] == '\0'),
 * retry_after_ms = -1 and upstream_status = 0. On failure the plugin writes a
 * NUL-terminated, human-readable message into `message` (at most
 * message_capacity bytes including the NUL; truncate, never overflow). A host
 * sink that refuses rows may write its reason here first; the plugin keeps it.
 * Its content is meaningful only when the call returns non-MDP_OK.
 */
typedef struct mdp_error {
  size_t struct_size;       /* [in] sizeof(mdp_error) as the host knows it */
  char *message;            /* [in] host-owned buffer, [out] its text */
  size_t message_capacity;  /* [in] bytes available in message, >= 1 */
  int64_t retry_after_ms;   /* [out] for RATE_LIMITED: wait hint, -1 unknown */
  int32_t upstream_status;  /* [out] upstream HTTP status when relevant, 0 none */
} mdp_error;

/* ------------------------------------------------------------------ logging */

#define MDP_LOG_TRACE 0
#define MDP_LOG_DEBUG 1
#define MDP_LOG_INFO 2
#define MDP_LOG_WARN 3
#define MDP_LOG_ERROR 4

/* -------------------------------------------------------------- canonical model */

/* Market types. */
#define MDP_MARKET_SPOT 1
#define MDP_MARKET_PERPETUAL 2
#define MDP_MARKET_FUTURE 3 /* dated future */

/* Canonical symbol status set. */
#define MDP_SYMBOL_TRADING 1
#define MDP_SYMBOL_HALTED 2
#define MDP_SYMBOL_PRE_TRADING 3
#define MDP_SYMBOL_SETTLING 4
#define MDP_SYMBOL_DELISTED 5

/* One market as the exchange lists it. All strings borrowed for the emit call. */
typedef struct mdp_symbol {
  size_t struct_size;          /* sizeof(mdp_symbol) as the plugin knows it */
  /* canonical: BASE/QUOTE, BASE/QUOTE:SETTLE or BASE/QUOTE:SETTLE-YYMMDD; only when two
   * markets would otherwise collide, followed by '~' and this row's own native_symbol,
   * exactly (e.g. TINY/USDC~@5, BTC/USD~BTCAUCTION-USD); the plugin chooses deterministically
   * which one keeps the plain form. See CONTRACT.md rule 31. */
  const char *symbol;
  const char *native_symbol;   /* the exchange's own id, e.g. BTCUSDT, @107, BTC-USD */
  int32_t market_type;         /* MDP_MARKET_* */
  int32_t status;              /* MDP_SYMBOL_* */
  const char *base;            /* base asset, e.g. BTC */
  const char *quote;           /* quote asset, e.g. USDT */
  const char *settle;          /* settlement/margin asset; "" for spot */
  const char *tick_size;       /* decimal or "" when the exchange has no fixed tick */
  const char *lot_step;        /* decimal or "" */
  const char *min_qty;         /* decimal or "" */
  const char *min_notional;    /* decimal or "" */
  const char *contract_size;   /* decimal or "" (spot) */
  int64_t listed_at_ms;        /* listing time, -1 unknown */
  int64_t delivery_at_ms;      /* delivery/expiry time for dated futures, -1 none */
  int32_t price_max_decimals;  /* max decimals a price may have when there is no tick, -1 n/a */
  int32_t price_max_sig_figs;  /* max significant figures of a price, -1 n/a */
  const char *alias_of;        /* native symbol of the product sharing this book, "" none */
  const char *native_status;   /* the exchange's own status text, for diagnostics */
} mdp_symbol;

/* One OHLCV candle. All strings borrowed for the emit call. */
typedef struct mdp_candle {
  size_t struct_size;      /* sizeof(mdp_candle) as the plugin knows it */
  int64_t open_time_ms;    /* UTC ms, inclusive */
  int64_t close_time_ms;   /* UTC ms, open_time + duration - 1 */
  const char *open;        /* decimal */
  const char *high;        /* decimal */
  const char *low;         /* decimal */
  const char *close;       /* decimal */
  const char *volume;      /* base volume, decimal */
  const char *quote_volume;/* decimal or "" when the exchange does not give it */
  int64_t trades;          /* trade count, -1 when the exchange does not give it */
  int32_t closed;          /* 1 = final, 0 = still in progress (judged with the host clock) */
} mdp_candle;

/* ------------------------------------------------------------------ sinks */

/*
 * Rows leave the plugin through host sinks. `rows` points at `count` rows laid
 * out `row_stride` bytes apart (row_stride >= the row's struct_size). The rows
 * and everything they point to are borrowed for the emit call only: the host
 * copies what it keeps. A non-MDP_OK return (usually MDP_E_SINK_REJECTED, with
 * the reason in the call's error) means stop and return that status.
 * thread: the thread of the operation that received the sink.
 */
typedef struct mdp_symbol_sink {
  size_t struct_size;
  void *ctx; /* host-owned */
  mdp_status (*emit)(void *ctx, const mdp_symbol *rows, size_t count, size_t row_stride);
} mdp_symbol_sink;

typedef struct mdp_candle_sink {
  size_t struct_size;
  void *ctx; /* host-owned */
  mdp_status (*emit)(void *ctx, const mdp_candle *rows, size_t count, size_t row_stride);
} mdp_candle_sink;

/* ------------------------------------------------------------------ host services */

/* Opaque handles owned by the host. */
typedef struct mdp_host mdp_host; /* one per plugin instance */
typedef struct mdp_call mdp_call; /* one per operation call; carries deadline + cancel */

/* Frozen pair (no struct_size): arrays are packed at sizeof(mdp_http_header). */
typedef struct mdp_http_header {
  const char *name;  /* borrowed */
  const char *value; /* borrowed */
} mdp_http_header;

/* [in] to http_send; everything borrowed for the http_send call. */
typedef struct mdp_http_request {
  size_t struct_size;             /* sizeof(mdp_http_request) as the plugin knows it */
  const char *method;             /* "GET" or "POST" */
  const char *url;                /* absolute; must start with one of the plugin's configured base URLs */
  const mdp_http_header *headers; /* borrowed, may be NULL when header_count == 0 */
  size_t header_count;
  const char *body;               /* borrowed, may be NULL when body_size == 0 */
  size_t body_size;
  int32_t weight;                 /* cost against the exchange's rate budget; <= 0 means 1 */
} mdp_http_request;

typedef struct mdp_http_response {
  size_t struct_size;             /* [in] set by the plugin */
  int32_t status;                 /* [out] HTTP status code */
  const char *body;               /* [out] host-owned, valid until the operation returns */
  size_t body_size;               /* [out] */
  const char *content_type;       /* [out] host-owned, "" when absent */
  int64_t retry_after_ms;         /* [out] parsed Retry-After, -1 when absent */
} mdp_http_response;

/*
 * The host's services, passed to create() and valid until destroy() returns.
 * host-owned. thread: any (all functions are thread-safe).
 * A conforming host sets every pointer; the C++ SDK refuses a table without
 * http_send or now_ms and treats a NULL log, log_enabled or is_cancelled as a no-op.
 */
typedef struct mdp_host_api {
  size_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;
  /* Write one log line attributed to this plugin. message borrowed. */
  void (*log)(mdp_host *host, int32_t level, const char *message);
  /* Whether a level is enabled, so plugins can skip formatting. */
  bool (*log_enabled)(mdp_host *host, int32_t level);
  /* Current UTC time in ms (injectable by tests). */
  int64_t (*now_ms)(mdp_host *host);
  /*
   * Blocking HTTP exchange, the only way a plugin reaches the network. A
   * transport failure (connect/read error, timeout, size cap, URL outside the
   * allowlist, budget refused, cancelled) returns a non-OK status with the
   * reason in err: an upstream connect/read timeout while the call's own
   * deadline has not passed is MDP_E_UPSTREAM_UNAVAILABLE, the call's deadline
   * passing is MDP_E_TIMEOUT. Any HTTP status, including 4xx/5xx, returns
   * MDP_OK with resp->status set: the plugin maps it.
   */
  mdp_status (*http_send)(mdp_call *call, const mdp_http_request *req,
                          mdp_http_response *resp, mdp_error *err);
  /* True once the host has cancelled the call (shutdown, deadline). */
  bool (*is_cancelled)(mdp_call *call);
} mdp_host_api;

/* Plugin configuration: key/value pairs from the operator's config. borrowed for create().
 * Frozen pair (no struct_size): arrays are packed at sizeof(mdp_config_entry). */
typedef struct mdp_config_entry {
  const char *key;
  const char *value;
} mdp_config_entry;

typedef struct mdp_plugin_config {
  size_t struct_size;
  const mdp_config_entry *entries;
  size_t entry_count;
} mdp_plugin_config;

/* ------------------------------------------------------------------ plugin side */

/* One supported canonical interval. Static data inside the plugin. */
typedef struct mdp_interval_support {
  size_t struct_size;
  const char *interval;    /* canonical code, e.g. "1h" */
  const char *native_code; /* the exchange's code, e.g. "ONE_HOUR" */
  uint32_t page_cap;       /* max candles one fetch_candles call returns */
} mdp_interval_support;

typedef struct mdp_plugin_descriptor {
  size_t struct_size;
  const char *id;          /* [a-z0-9_-]{1,32}, e.g. "binance_futures" */
  const char *name;        /* human-readable */
  const char *version;     /* plugin's own semantic version */
  const mdp_interval_support *intervals; /* plugin-owned, static */
  size_t interval_count;
  size_t interval_stride;  /* bytes between entries, >= intervals[0].struct_size */
} mdp_plugin_descriptor;

typedef struct mdp_candle_request {
  size_t struct_size;
  const char *native_symbol; /* borrowed */
  const char *interval;      /* canonical code from the descriptor, borrowed */
  int64_t start_ms;          /* inclusive, on open time */
  int64_t end_ms;            /* exclusive, on open time; start_ms < end_ms */
  uint32_t max_rows;         /* 1..page_cap */
} mdp_candle_request;

/* Where a fetch_candles page stopped. host-owned; [out] fields meaningful only
 * when fetch_candles returns MDP_OK. */
typedef struct mdp_candle_page {
  size_t struct_size;        /* [in] set by the host */
  /* [out] -1 when every candle that exists in [start, end) was emitted;
   * otherwise the open time to continue from (more may exist). */
  int64_t next_start_ms;
  /* [out] earliest open time the exchange can still serve for this request
   * (history-limited exchanges), -1 when unlimited/unknown. Candles before it
   * were not emitted because they cannot be had, not because none exist. */
  int64_t available_from_ms;
} mdp_candle_page;

typedef struct mdp_plugin mdp_plugin; /* opaque, plugin-owned instance */

/*
 * The table returned by mdp_plugin_entry(). static const inside the plugin,
 * valid for the life of the loaded library.
 */
typedef struct mdp_plugin_api {
  uint32_t magic;          /* MDP_PLUGIN_MAGIC */
  uint32_t struct_size;    /* sizeof(mdp_plugin_api) as the plugin knows it */
  uint32_t abi_major;      /* MDP_ABI_MAJOR the plugin was built with */
  uint32_t abi_minor;      /* MDP_ABI_MINOR the plugin was built with */
  const mdp_plugin_descriptor *descriptor; /* plugin-owned, static */

  /* Create one instance. thread: loader. host_api and host stay valid until
   * destroy() returns; config is borrowed. On failure returns non-OK, leaves
   * *out NULL and fills err. */
  mdp_status (*create)(const mdp_host_api *host_api, mdp_host *host,
                       const mdp_plugin_config *config, mdp_plugin **out,
                       mdp_error *err);
  /* Destroy an instance after all calls on it returned. thread: loader. */
  void (*destroy)(mdp_plugin *plugin);

  /* Emit every market the exchange lists. thread: any. */
  mdp_status (*list_symbols)(mdp_plugin *plugin, mdp_call *call,
                             const mdp_symbol_sink *sink, mdp_error *err);
  /* Emit one page of candles for [start, end), ascending by open time, at most
   * max_rows, and say where it stopped. thread: any. */
  mdp_status (*fetch_candles)(mdp_plugin *plugin, mdp_call *call,
                              const mdp_candle_request *req,
                              const mdp_candle_sink *sink, mdp_candle_page *page,
                              mdp_error *err);
} mdp_plugin_api;

/*
 * The one exported symbol, named MDP_PLUGIN_ENTRY_SYMBOL, with default visibility
 * and C linkage (MDP_DEFINE_PLUGIN in mdp/plugin.hpp writes it):
 *   const mdp_plugin_api *mdp_plugin_entry(void);
 * Trivial: returns a pointer to a static table; no allocation, no side effects,
 * callable any number of times from any thread. The library is never unloaded
 * while the host runs.
 */
typedef const mdp_plugin_api *(*mdp_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MDP_PLUGIN_ABI_H */
