# mdp_add_plugin(<id> SOURCES <files...> [LIBS <libs...>])
# Builds the MODULE library mdp-<id>.so against the plugin SDK: hidden visibility, a version
# script that exports only mdp_plugin_entry, and --no-undefined so a missing symbol fails at
# link time instead of killing the host at call time.
include_guard(GLOBAL)
set(_MDP_SDK_FUNCTIONS_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(mdp_add_plugin id)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT id MATCHES "^[a-z0-9_-]+$")
    message(FATAL_ERROR "mdp_add_plugin: plugin id '${id}' must match [a-z0-9_-]+")
  endif()
  set(target "mdp-${id}")
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE MarketDataPluginSDK::sdk ${ARG_LIBS})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "mdp-${id}"
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON)
  if(DEFINED MDP_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${MDP_PLUGIN_OUTPUT_DIR}")
  endif()
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_MDP_SDK_FUNCTIONS_DIR}/mdp_plugin.map"
    "LINKER:--no-undefined")
endfunction()
