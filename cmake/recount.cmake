# Shared build settings and helpers for the capability libraries, tests, benchmarks and fuzzers.

add_library(recount_warnings INTERFACE)
target_compile_options(recount_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<BOOL:${RECOUNT_WERROR}>:-Werror>)
if(RECOUNT_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12's flow analysis is unreliable under -fsanitize (false maybe-uninitialized in libstdc++).
  target_compile_options(recount_warnings INTERFACE -Wno-maybe-uninitialized)
endif()

add_library(recount_sanitizers INTERFACE)
if(RECOUNT_SANITIZE OR RECOUNT_FUZZ)
  target_compile_options(recount_sanitizers INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(recount_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(RECOUNT_FUZZ)
  # Coverage for libFuzzer in the libraries; only the fuzz targets link libFuzzer's main.
  target_compile_options(recount_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()

set(RECOUNT_CAPABILITIES "" CACHE INTERNAL "")

# recount_capability(NAME DEPENDS cap... LIBS target...)
# One static library per capability folder: src/NAME/*.cpp with headers in include/recount/NAME/.
function(recount_capability name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(recount_${name} STATIC ${sources})
  add_library(recount::${name} ALIAS recount_${name})
  target_include_directories(recount_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:include>)
  target_compile_features(recount_${name} PUBLIC cxx_std_20)
  foreach(dep IN LISTS ARG_DEPENDS)
    target_link_libraries(recount_${name} PUBLIC recount_${dep})
  endforeach()
  target_link_libraries(recount_${name} PUBLIC ${ARG_LIBS} recount_sanitizers
                        PRIVATE recount_warnings)
  set(RECOUNT_CAPABILITIES ${RECOUNT_CAPABILITIES} recount_${name} CACHE INTERNAL "")
endfunction()

# recount_test(NAME SOURCES file... LABELS label...)
# Labels: unit (fast, also under the sanitizers), cli (runs the binary), statistical and slow
# (release build only). NAME documents the group; the sources join one test executable per label
# (recount_tests_<label>), built as a unity build, because parsing GoogleTest and the JSON and
# Eigen headers once per file dominated the build time. RECOUNT_RELEASE_TESTS=OFF (the sanitizer
# preset) leaves out the statistical and slow groups, which only the release build runs.
function(recount_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LABELS" ${ARGN})
  list(LENGTH ARG_LABELS n)
  if(NOT n EQUAL 1)
    message(FATAL_ERROR "recount_test(${name}): exactly one label, got '${ARG_LABELS}'")
  endif()
  if(NOT RECOUNT_RELEASE_TESTS AND ARG_LABELS MATCHES "^(statistical|slow)$")
    return()
  endif()
  list(TRANSFORM ARG_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  if(ARG_LABELS STREQUAL "cli")
    # Each CLI test keeps its own way of running the binary (folder, fixture copies).
    set_source_files_properties(${ARG_SOURCES} DIRECTORY ${PROJECT_SOURCE_DIR}/tests
                                PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  endif()
  set_property(GLOBAL APPEND PROPERTY RECOUNT_TEST_SOURCES_${ARG_LABELS} ${ARG_SOURCES})
  set_property(GLOBAL APPEND PROPERTY RECOUNT_TEST_LABELS ${ARG_LABELS})
endfunction()

# Makes the executables the recount_test() calls asked for; called once, after them.
function(recount_test_executables)
  get_property(labels GLOBAL PROPERTY RECOUNT_TEST_LABELS)
  list(REMOVE_DUPLICATES labels)
  foreach(label IN LISTS labels)
    get_property(sources GLOBAL PROPERTY RECOUNT_TEST_SOURCES_${label})
    set(name recount_tests_${label})
    add_executable(${name} ${sources})
    set_target_properties(${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 12)
    if(label MATCHES "^(unit|cli)$")
      # Their test code runs in milliseconds (the library keeps -O3); -O3 on GoogleTest's macro
      # bodies took a third more of the build's time than -O1.
      target_compile_options(${name} PRIVATE $<$<CONFIG:Release>:-O1>)
    endif()
    target_link_libraries(${name} PRIVATE recount::recount GTest::gtest GTest::gtest_main
                          recount_warnings)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
    target_compile_definitions(${name} PRIVATE
      RECOUNT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
      RECOUNT_CLI="$<TARGET_FILE:recount_cli>"
      RECOUNT_ARTEFACT_DIR="${CMAKE_CURRENT_BINARY_DIR}")
    # A fresh build has no timings of earlier runs, and ctest would start the minute-long
    # statistical and slow tests last, in the order declared, leaving one core idle at the end;
    # a higher cost starts them first, and the short tests fill the other core.
    set(cost 1)
    if(label MATCHES "^(statistical|slow)$")
      set(cost 100)
    endif()
    gtest_discover_tests(${name}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
      PROPERTIES LABELS ${label} COST ${cost}
      DISCOVERY_TIMEOUT 60)
    add_dependencies(${name} recount_cli)
  endforeach()
endfunction()
