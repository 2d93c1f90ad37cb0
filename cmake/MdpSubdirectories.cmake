# Adds every direct subdirectory of DIR that has a CMakeLists.txt, in name order, so a new
# layer, plugin or test folder joins the build without editing a shared list.
# MDP_SKIP_DIRS (a list of folder names) leaves some out: useful while a folder is mid-edit.
function(mdp_add_subdirectories_with_lists dir)
  file(GLOB children RELATIVE "${CMAKE_CURRENT_SOURCE_DIR}/${dir}" "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*")
  list(SORT children)
  foreach(child IN LISTS children)
    if(child IN_LIST MDP_SKIP_DIRS)
      continue()
    endif()
    if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${dir}/${child}/CMakeLists.txt")
      add_subdirectory("${dir}/${child}")
    endif()
  endforeach()
endfunction()
