# The installed layout, matching the paths mdp-host derives from its own location:
#   <prefix>/bin/mdp-host                 (host/src/app, component host)
#   <prefix>/plugins/mdp-<id>.so          default plugins.dir = <exe_dir>/../plugins
#   <prefix>/share/mdp/schema/<dialect>/  default database.schema_dir (host/src/storage)
#   <prefix>/bin/mdp-fake-exchange        (component tools: offline mode, not needed to run)
# The container image installs component host only (compose/Dockerfile).
# Included from the top-level CMakeLists.txt after every plugin directory was added.

# Every MODULE library defined under plugins/ is an in-tree plugin (mdp_add_plugin), so a new
# plugin folder is installed without editing a list; folders left out by MDP_SKIP_DIRS are skipped.
file(GLOB _mdp_plugin_dirs LIST_DIRECTORIES true "${PROJECT_SOURCE_DIR}/plugins/*")
foreach(_mdp_dir IN LISTS _mdp_plugin_dirs)
  if(NOT EXISTS "${_mdp_dir}/CMakeLists.txt")
    continue()
  endif()
  get_filename_component(_mdp_name "${_mdp_dir}" NAME)
  if(_mdp_name IN_LIST MDP_SKIP_DIRS)
    continue()
  endif()
  get_property(_mdp_targets DIRECTORY "${_mdp_dir}" PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_mdp_target IN LISTS _mdp_targets)
    get_target_property(_mdp_type ${_mdp_target} TYPE)
    if(_mdp_type STREQUAL "MODULE_LIBRARY")
      # 0755: the host refuses plugin files writable by group or others.
      install(TARGETS ${_mdp_target} LIBRARY DESTINATION plugins COMPONENT host)
    endif()
  endforeach()
endforeach()

if(TARGET mdp-fake-exchange)
  install(TARGETS mdp-fake-exchange RUNTIME DESTINATION bin COMPONENT tools)
endif()
