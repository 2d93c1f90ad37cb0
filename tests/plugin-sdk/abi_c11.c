/*
 * plugin_abi.h compiled as C11 (-std=c11 -pedantic-errors, the project's warnings): the header
 * must be self-contained plain C. This translation unit also
 *   - asserts the x86_64 LP64 layout of every ABI struct at compile time (abi_layout.inc),
 *   - exports the layout as C sees it, so the C++ test can compare both languages' views,
 *   - defines a plugin table in plain C, which the C++ test calls across the language line.
 */
#include <mdp/plugin_abi.h> /* first: proves the header needs nothing before it */

#include <string.h>

#include "abi_c_side.h"

#if defined(__x86_64__) && defined(__LP64__)
#define MDP_LAYOUT_SIZE(T, n) _Static_assert(sizeof(T) == (n), "sizeof(" #T ") is not " #n);
#define MDP_LAYOUT_OFFSET(T, f, n) \
  _Static_assert(offsetof(T, f) == (n), "offsetof(" #T ", " #f ") is not " #n);
#include "abi_layout.inc"
#undef MDP_LAYOUT_SIZE
#undef MDP_LAYOUT_OFFSET
#endif

/* Portable rules, whatever the platform. */
_Static_assert(offsetof(mdp_plugin_api, magic) == 0, "the plugin table starts with its magic");
_Static_assert(offsetof(mdp_plugin_api, struct_size) == 4, "then its struct_size");
_Static_assert(sizeof(bool) == 1, "bool crosses the ABI as one byte");
_Static_assert(sizeof(mdp_status) == 4, "mdp_status is int32_t");
_Static_assert(MDP_PLUGIN_MAGIC == 0x4D44504Cu, "magic is \"MDPL\"");

#define MDP_LAYOUT_SIZE(T, n) {#T, "", sizeof(T)},
#define MDP_LAYOUT_OFFSET(T, f, n) {#T, #f, offsetof(T, f)},
static const mdp_test_layout_entry kLayout[] = {
#include "abi_layout.inc"
};
#undef MDP_LAYOUT_SIZE
#undef MDP_LAYOUT_OFFSET

const mdp_test_layout_entry *mdp_test_c_layout(size_t *count) {
  *count = sizeof(kLayout) / sizeof(kLayout[0]);
  return kLayout;
}

/* ------------------------------------------------- a plugin table written in plain C */

static const mdp_interval_support kCIntervals[] = {
    {sizeof(mdp_interval_support), "1d", "D", 300},
};

static const mdp_plugin_descriptor kCDescriptor = {
    sizeof(mdp_plugin_descriptor), "c_plugin", "Plugin written in C", "1.0.0",
    kCIntervals, 1, sizeof(mdp_interval_support)};

static void c_write_error(mdp_error *err, const char *text) {
  size_t n;
  if (err == NULL || err->message == NULL || err->message_capacity == 0) return;
  n = strlen(text);
  if (n > err->message_capacity - 1) n = err->message_capacity - 1;
  memcpy(err->message, text, n);
  err->message[n] = '\0';
}

static mdp_status c_create(const mdp_host_api *host_api, mdp_host *host,
                           const mdp_plugin_config *config, mdp_plugin **out, mdp_error *err) {
  (void)host_api;
  (void)host;
  (void)config;
  *out = NULL;
  c_write_error(err, "the C plugin has no instances");
  return MDP_E_UNSUPPORTED;
}

static void c_destroy(mdp_plugin *plugin) { (void)plugin; }

static mdp_status c_list_symbols(mdp_plugin *plugin, mdp_call *call, const mdp_symbol_sink *sink,
                                 mdp_error *err) {
  mdp_symbol row;
  (void)plugin;
  (void)call;
  (void)err;
  memset(&row, 0, sizeof row);
  row.struct_size = sizeof row;
  row.symbol = "BTC/USD";
  row.native_symbol = "XBTUSD";
  row.market_type = MDP_MARKET_SPOT;
  row.status = MDP_SYMBOL_TRADING;
  row.base = "BTC";
  row.quote = "USD";
  row.settle = "";
  row.tick_size = "0.5";
  row.lot_step = "";
  row.min_qty = "";
  row.min_notional = "";
  row.contract_size = "";
  row.listed_at_ms = -1;
  row.delivery_at_ms = -1;
  row.price_max_decimals = -1;
  row.price_max_sig_figs = -1;
  row.alias_of = "";
  row.native_status = "online";
  return sink->emit(sink->ctx, &row, 1, sizeof row);
}

static mdp_status c_fetch_candles(mdp_plugin *plugin, mdp_call *call,
                                  const mdp_candle_request *req, const mdp_candle_sink *sink,
                                  mdp_candle_page *page, mdp_error *err) {
  (void)plugin;
  (void)call;
  (void)req;
  (void)sink;
  (void)page;
  c_write_error(err, "no candles in C");
  return MDP_E_NOT_FOUND;
}

static const mdp_plugin_api kCPluginApi = {
    MDP_PLUGIN_MAGIC, (uint32_t)sizeof(mdp_plugin_api), MDP_ABI_MAJOR, MDP_ABI_MINOR,
    &kCDescriptor, c_create, c_destroy, c_list_symbols, c_fetch_candles};

const mdp_plugin_api *mdp_test_c_plugin_api(void) { return &kCPluginApi; }
