# mdp_add_test(<name> SOURCES ... [LIBS ...] [LABELS ...])
# One GoogleTest executable; each TEST() becomes its own ctest test, discovered at test time.
# Labels: unit (default), integration (needs PostgreSQL or sockets), contract, soak (one per
# test: CMake 3.25 gtest_discover_tests keeps only the first entry of a list-valued property).
function(mdp_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE GTest::gtest GTest::gtest_main Threads::Threads ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/tests")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # gtest_discover_tests keeps only the first entry of a list-valued ENVIRONMENT property
  # (CMake 3.25, PRE_TEST), so the variables go through `cmake -E env`, which discovery and
  # every test run both use as the launcher.
  set_target_properties(${name} PROPERTIES CROSSCOMPILING_EMULATOR
    "${CMAKE_COMMAND};-E;env;MDP_SOURCE_DIR=${PROJECT_SOURCE_DIR};MDP_BINARY_DIR=${CMAKE_BINARY_DIR};MDP_PLUGIN_BUILD_DIR=${MDP_PLUGIN_OUTPUT_DIR}")
  gtest_discover_tests(${name}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
