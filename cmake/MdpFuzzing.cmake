# libFuzzer targets (MDP_BUILD_FUZZ, on in the asan preset only). clang is required:
# gcc has no libFuzzer. Everything in the build gets `-fsanitize=fuzzer-no-link` (coverage
# counters and comparison hooks, no libFuzzer main) so the fuzzers see inside the libraries
# they link; the ASan/UBSan runtime supplies the hooks for the ordinary executables and tests.
# Only the fuzz executables link libFuzzer itself (`-fsanitize=fuzzer`).
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "MDP_BUILD_FUZZ needs clang (libFuzzer); use the asan preset")
endif()
add_compile_options(-fsanitize=fuzzer-no-link)

set(MDP_FUZZ_OUTPUT_DIR "${CMAKE_BINARY_DIR}/fuzz")

# mdp_add_fuzzer(<name> SOURCES ... [LIBS ...] [SEEDS <globs relative to the source root>...])
# Builds ${CMAKE_BINARY_DIR}/fuzz/bin/<name> and writes the seed file list to
# ${CMAKE_BINARY_DIR}/fuzz/seeds/<name>.txt (one absolute path a line), which scripts/fuzz
# copies into the target's scratch corpus. Seeds come from tests/fixtures and the
# hand-written files in the target's seeds/ folder; nothing is copied into the repository.
function(mdp_add_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;SEEDS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/fuzz/support")
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${MDP_FUZZ_OUTPUT_DIR}/bin")
  set(seeds "")
  foreach(pattern IN LISTS ARG_SEEDS)
    file(GLOB matched CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/${pattern}")
    list(APPEND seeds ${matched})
  endforeach()
  list(REMOVE_DUPLICATES seeds)
  list(SORT seeds)
  list(JOIN seeds "\n" seed_lines)
  file(WRITE "${MDP_FUZZ_OUTPUT_DIR}/seeds/${name}.txt" "${seed_lines}\n")
  set_property(GLOBAL APPEND PROPERTY MDP_FUZZ_TARGETS ${name})
endfunction()
