/* A static library symbol with default visibility: the plugin's version script must keep it
 * out of the plugin's dynamic symbol table. */
int mdp_sdk_fixture_helper_answer(void);
int mdp_sdk_fixture_helper_answer(void) { return 42; }
