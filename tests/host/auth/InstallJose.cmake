# ctest fixture for the jose interop test: installs npm `jose` into PREFIX unless it is
# there already. Fails (never skips) when npm is missing or cannot reach the registry.
if(EXISTS "${PREFIX}/node_modules/jose/package.json")
  message(STATUS "jose already installed in ${PREFIX}")
  return()
endif()
find_program(MDP_NPM npm)
if(NOT MDP_NPM)
  message(FATAL_ERROR "npm not found: the jose interop test needs node and npm")
endif()
file(MAKE_DIRECTORY "${PREFIX}")
execute_process(
  COMMAND "${MDP_NPM}" install --no-audit --no-fund --prefix "${PREFIX}" jose@6
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output
  TIMEOUT 300)
if(NOT status EQUAL 0 OR NOT EXISTS "${PREFIX}/node_modules/jose/package.json")
  message(FATAL_ERROR "npm install jose failed (${status}):\n${output}")
endif()
message(STATUS "installed jose into ${PREFIX}")
