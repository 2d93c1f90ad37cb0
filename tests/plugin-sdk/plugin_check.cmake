# Contract checks on a built plugin, run as `cmake -P plugin_check.cmake` by ctest.
#
# MODE=in-tree      SO=<mdp-<id>.so> ID=<id> NM=<nm> CHECKER=<mdp_sdk_plugin_checker>
#   Checks a plugin built in this tree with mdp_add_plugin().
# MODE=out-of-tree  ID, NM, CHECKER, plus MDP_SOURCE_DIR, MDP_BINARY_DIR (this build), WORK_DIR
#                   (scratch, wiped), GENERATOR, MAKE_PROGRAM, CXX_COMPILER
#   Plays a third party: installs the SDK component of this build into a fresh prefix (and checks
#   that configuring plugin-sdk/ on its own installs the very same files), takes the example
#   project from that prefix (share/doc/MarketDataPluginSDK/examples/minimal-plugin), configures
#   it with only that prefix to search, builds it with -Werror, installs it, and checks the
#   installed plugin.
#
# The checks on the .so: `nm -D --defined-only` lists exactly mdp_plugin_entry, and the checker
# (dlopen RTLD_NOW|RTLD_LOCAL) accepts its table, descriptor id and output.
cmake_minimum_required(VERSION 3.25)

function(fail)
  string(JOIN "" message ${ARGN})
  message(FATAL_ERROR "plugin contract check failed: ${message}")
endfunction()

# run(<what> <command...>): runs a command, fails with its output when it does not exit 0.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("${what} (exit ${rc})\ncommand: ${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  string(STRIP "${out}" out)
  if(out MATCHES "^OK ")
    message(STATUS "ok: ${what}: ${out}")
  else()
    message(STATUS "ok: ${what}")
  endif()
endfunction()

function(check_plugin so id)
  if(NOT EXISTS "${so}")
    fail("no plugin at ${so}")
  endif()

  execute_process(COMMAND "${NM}" -D --defined-only "${so}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    fail("${NM} -D --defined-only ${so} (exit ${rc}): ${err}")
  endif()
  string(REPLACE "\n" ";" lines "${out}")
  set(exported "")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    if(line STREQUAL "")
      continue()
    endif()
    string(REGEX REPLACE "^.*[ \t]" "" name "${line}")   # last field
    string(REGEX REPLACE "@.*$" "" name "${name}")       # drop a symbol version
    list(APPEND exported "${name}")
  endforeach()
  if(NOT exported STREQUAL "mdp_plugin_entry")
    fail("${so} must export exactly mdp_plugin_entry; nm -D --defined-only lists: ${exported}")
  endif()
  message(STATUS "ok: ${so} exports only mdp_plugin_entry")

  run("checker accepts ${so}" "${CHECKER}" "${so}" "${id}")
endfunction()

foreach(var MODE ID NM CHECKER)
  if(NOT DEFINED ${var})
    fail("-D${var}=... is required")
  endif()
endforeach()

if(MODE STREQUAL "in-tree")
  check_plugin("${SO}" "${ID}")
  return()
endif()

if(NOT MODE STREQUAL "out-of-tree")
  fail("unknown MODE '${MODE}'")
endif()
foreach(var MDP_SOURCE_DIR MDP_BINARY_DIR WORK_DIR GENERATOR CXX_COMPILER)
  if(NOT DEFINED ${var})
    fail("-D${var}=... is required")
  endif()
endforeach()

# Nothing from the caller's environment may point CMake at another SDK.
unset(ENV{MarketDataPluginSDK_DIR})
unset(ENV{MarketDataPluginSDK_ROOT})
unset(ENV{CMAKE_PREFIX_PATH})
unset(ENV{CMAKE_INSTALL_PREFIX})

set(prefix "${WORK_DIR}/sdk-prefix")
set(build "${WORK_DIR}/build")
set(plugin_prefix "${WORK_DIR}/plugin-prefix")
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# 1. Install the SDK (and only the SDK) from this build.
run("install the sdk component into ${prefix}"
    "${CMAKE_COMMAND}" --install "${MDP_BINARY_DIR}" --prefix "${prefix}" --component sdk)
file(GLOB_RECURSE config_files "${prefix}/*/MarketDataPluginSDKConfig.cmake")
list(LENGTH config_files n)
if(NOT n EQUAL 1)
  fail("expected one MarketDataPluginSDKConfig.cmake under ${prefix}, found: ${config_files}")
endif()
get_filename_component(config_dir "${config_files}" DIRECTORY)
foreach(f include/mdp/plugin_abi.h include/mdp/plugin.hpp include/mdp/decimal.hpp)
  if(NOT EXISTS "${prefix}/${f}")
    fail("the sdk install lacks ${f}")
  endif()
endforeach()
foreach(f MarketDataPluginSDKConfigVersion.cmake MarketDataPluginSDKTargets.cmake
          MarketDataPluginSDKFunctions.cmake mdp_plugin.map)
  if(NOT EXISTS "${config_dir}/${f}")
    fail("the sdk install lacks ${config_dir}/${f}")
  endif()
endforeach()
# 1b. The SDK configured on its own (README: no Poco/Boost needed) installs the same tree.
set(standalone_build "${WORK_DIR}/sdk-standalone-build")
set(standalone_prefix "${WORK_DIR}/sdk-standalone-prefix")
set(standalone_args -S "${MDP_SOURCE_DIR}/plugin-sdk" -B "${standalone_build}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
  list(APPEND standalone_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure plugin-sdk/ on its own" "${CMAKE_COMMAND}" ${standalone_args})
run("install the standalone sdk" "${CMAKE_COMMAND}" --install "${standalone_build}" --prefix "${standalone_prefix}")
file(GLOB_RECURSE in_platform RELATIVE "${prefix}" "${prefix}/*")
file(GLOB_RECURSE in_standalone RELATIVE "${standalone_prefix}" "${standalone_prefix}/*")
list(SORT in_platform)
list(SORT in_standalone)
if(NOT in_platform STREQUAL in_standalone)
  fail("the platform build installs [${in_platform}] but plugin-sdk/ alone installs [${in_standalone}]")
endif()
foreach(f IN LISTS in_platform)
  file(SHA256 "${prefix}/${f}" a)
  file(SHA256 "${standalone_prefix}/${f}" b)
  if(NOT a STREQUAL b)
    fail("${f} differs between the platform's sdk install and the standalone one")
  endif()
endforeach()
message(STATUS "ok: standalone plugin-sdk/ installs the same ${prefix} tree")

set(example "${prefix}/share/doc/MarketDataPluginSDK/examples/minimal-plugin")
if(NOT EXISTS "${example}/CMakeLists.txt")
  fail("the sdk install lacks the example project at ${example}")
endif()

# 2. Configure the example against that prefix alone, warnings as errors.
set(configure_args
    -S "${example}" -B "${build}" -G "${GENERATOR}"
    -DCMAKE_BUILD_TYPE=Release
    "-DCMAKE_PREFIX_PATH=${prefix}"
    "-DCMAKE_INSTALL_PREFIX=${plugin_prefix}"
    "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_CXX_FLAGS=-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror"
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
if(DEFINED MAKE_PROGRAM AND NOT MAKE_PROGRAM STREQUAL "")
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
run("configure the example out of tree" "${CMAKE_COMMAND}" ${configure_args})

file(STRINGS "${build}/CMakeCache.txt" found_dir REGEX "^MarketDataPluginSDK_DIR:")
if(NOT found_dir STREQUAL "MarketDataPluginSDK_DIR:PATH=${config_dir}")
  fail("find_package found the SDK elsewhere: '${found_dir}', expected ${config_dir}")
endif()

# 3. Build it, then look at what the compiler was given: include paths only from the prefix
#    (and the example itself), never the platform's source tree.
run("build the example" "${CMAKE_COMMAND}" --build "${build}")
file(READ "${build}/compile_commands.json" commands)
string(REGEX MATCHALL "(-I|-isystem )[^ \"]+" includes "${commands}")
if(includes STREQUAL "")
  fail("no include paths in ${build}/compile_commands.json")
endif()
foreach(flag IN LISTS includes)
  string(REGEX REPLACE "^(-I|-isystem )" "" dir "${flag}")
  file(REAL_PATH "${dir}" real_dir)
  file(REAL_PATH "${prefix}" real_prefix)
  string(FIND "${real_dir}/" "${real_prefix}/" at)
  if(NOT at EQUAL 0)
    fail("the out-of-tree build includes ${dir}, outside the installed SDK ${prefix}")
  endif()
endforeach()
message(STATUS "ok: include paths come only from ${prefix}")

# 4. Install the plugin the way its README says, and check the installed file.
run("install the plugin" "${CMAKE_COMMAND}" --install "${build}")
check_plugin("${plugin_prefix}/lib/mdp/plugins/mdp-${ID}.so" "${ID}")
