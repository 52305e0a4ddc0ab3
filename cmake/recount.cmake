# Shared build settings and helpers for the capability libraries, tests, benchmarks and fuzzers.

add_library(recount_warnings INTERFACE)
target_compile_options(recount_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<$<BOOL:${RECOUNT_WERROR}>:-Werror>)
if(RECOUNT_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12's flow analysis is unreliable under -fsanitize (false maybe-uninitialized in libstdc++).
  target_compile_options(recount_warnings INTERFACE -Wno-maybe-uninitialized)
endif()

add_library(recount_sanitizers INTERFACE)
if(RECOUNT_SANITIZE)
  target_compile_options(recount_sanitizers INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(recount_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
if(RECOUNT_FUZZ)
  target_compile_options(recount_sanitizers INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(recount_sanitizers INTERFACE -fsanitize=address,undefined)
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

# recount_test(NAME SOURCES file... LABELS label... [LIBS target...])
# Labels: unit (fast, also under the sanitizers), cli (runs the binary), statistical and slow
# (release build only).
function(recount_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LABELS;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE recount::recount GTest::gtest GTest::gtest_main
                        ${ARG_LIBS} recount_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    RECOUNT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    RECOUNT_CLI="$<TARGET_FILE:recount_cli>")
  gtest_discover_tests(${name}
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    PROPERTIES LABELS "${ARG_LABELS}"
    DISCOVERY_TIMEOUT 60)
  if(cli IN_LIST ARG_LABELS)
    add_dependencies(${name} recount_cli)
  endif()
endfunction()
