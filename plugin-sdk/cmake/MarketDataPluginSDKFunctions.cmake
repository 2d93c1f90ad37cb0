# mdp_add_plugin(<id> SOURCES <files...> [LIBS <libs...>])
#
# Builds the MODULE library mdp-<id>.so against the plugin SDK: hidden visibility, a version
# script that exports only mdp_plugin_entry, and --no-undefined so a missing symbol fails at
# link time instead of killing the host at call time. The target is named mdp-<id>.
#
# This one file serves both uses: the platform's own tree includes it from
# plugin-sdk/CMakeLists.txt, and the installed package (MarketDataPluginSDKConfig.cmake)
# includes the installed copy, which sits next to the installed mdp_plugin.map.
#
# Variables read:
#   MDP_PLUGIN_OUTPUT_DIR    when defined, where the .so goes (the platform sets it).
#   MDP_PLUGIN_NO_UNDEFINED  ON (default) links with --no-undefined. Turned off automatically for
#                            clang sanitizer builds: clang does not link its ASan/UBSan runtime
#                            into shared objects, so their __asan_* references are unresolved.
include_guard(GLOBAL)

if(CMAKE_VERSION VERSION_LESS 3.17)
  message(FATAL_ERROR "MarketDataPluginSDK needs CMake 3.17 or newer (found ${CMAKE_VERSION})")
endif()

function(mdp_add_plugin id)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "mdp_add_plugin(${id}): unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  string(LENGTH "${id}" id_length)
  if(NOT id MATCHES "^[a-z0-9_-]+$" OR id_length GREATER 32)
    message(FATAL_ERROR "mdp_add_plugin: plugin id '${id}' must match [a-z0-9_-]{1,32}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "mdp_add_plugin(${id}): SOURCES is empty")
  endif()
  if(NOT TARGET MarketDataPluginSDK::sdk)
    message(FATAL_ERROR "mdp_add_plugin(${id}): target MarketDataPluginSDK::sdk is missing; "
                        "use find_package(MarketDataPluginSDK REQUIRED)")
  endif()

  # CMAKE_CURRENT_FUNCTION_LIST_DIR: the directory of this file wherever the function is called
  # from (a variable set at include time would only be visible in the including directory).
  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/mdp_plugin.map")

  set(target "mdp-${id}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE MarketDataPluginSDK::sdk ${ARG_LIBS})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    OUTPUT_NAME "mdp-${id}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    LINK_DEPENDS "${version_script}")
  if(DEFINED MDP_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${MDP_PLUGIN_OUTPUT_DIR}")
  endif()
  target_link_options(${target} PRIVATE "LINKER:--version-script=${version_script}")

  if(NOT DEFINED MDP_PLUGIN_NO_UNDEFINED)
    set(MDP_PLUGIN_NO_UNDEFINED ON)
    set(all_flags "${CMAKE_CXX_FLAGS} ${CMAKE_C_FLAGS} ${CMAKE_MODULE_LINKER_FLAGS}")
    if(CMAKE_CXX_COMPILER_ID MATCHES "Clang" AND all_flags MATCHES "-fsanitize=")
      set(MDP_PLUGIN_NO_UNDEFINED OFF)
    endif()
  endif()
  if(MDP_PLUGIN_NO_UNDEFINED)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
