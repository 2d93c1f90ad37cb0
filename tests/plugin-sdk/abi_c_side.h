/* What abi_c11.c (compiled as C) exports to the C++ tests. */
#ifndef MDP_TEST_ABI_C_SIDE_H
#define MDP_TEST_ABI_C_SIDE_H

#include <mdp/plugin_abi.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mdp_test_layout_entry {
  const char *type;  /* struct name */
  const char *field; /* "" for the struct's sizeof */
  size_t value;      /* offsetof(type, field) or sizeof(type) as the C compiler sees it */
} mdp_test_layout_entry;

/* The layout list of abi_layout.inc, evaluated by the C compiler. */
const mdp_test_layout_entry *mdp_test_c_layout(size_t *count);

/* A plugin table defined in plain C (create fails with MDP_E_UNSUPPORTED, list_symbols emits
 * one row, fetch_candles fails with MDP_E_NOT_FOUND). */
const mdp_plugin_api *mdp_test_c_plugin_api(void);

#ifdef __cplusplus
}
#endif

#endif
