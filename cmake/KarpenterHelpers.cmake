# One helper per kind of target, in the spirit of abseil's absl_cc_library/absl_cc_test.
#
# A layer is a folder under src/ and one static library `karpenter_<layer>`: every .cc in the
# folder (and its internal/ subfolder) belongs to it, so adding a file needs no CMake edit.
# Includes are rooted at src/ (`#include "core/quantity.h"`).
include(GoogleTest)

function(karpenter_layer name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cc")
  if(NOT sources)
    # A layer of headers only (so far) is an interface library.
    add_library(karpenter_${name} INTERFACE)
    target_include_directories(karpenter_${name} INTERFACE "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(karpenter_${name} INTERFACE ${ARG_DEPS})
    return()
  endif()
  add_library(karpenter_${name} STATIC ${sources})
  target_include_directories(karpenter_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(karpenter_${name} PUBLIC ${ARG_DEPS})
endfunction()

# Tests of a layer: every *_test.cc under tests/<layer>/ builds into one GoogleTest binary,
# whose tests CTest discovers one by one.
function(karpenter_layer_tests name)
  cmake_parse_arguments(ARG "" "" "DEPS;LABELS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*_test.cc")
  if(NOT sources)
    return()
  endif()
  add_executable(${name}_test ${sources})
  target_link_libraries(${name}_test PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  # GoogleTest's and gmock's headers dominate a test file's compile time; precompiling them
  # once per binary keeps CI within its time budget on two cores.
  target_precompile_headers(${name}_test PRIVATE <gmock/gmock.h> <gtest/gtest.h>)
  target_compile_definitions(${name}_test PRIVATE
    KARPENTER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    KARPENTER_TEST_DATA_DIR="${CMAKE_CURRENT_SOURCE_DIR}/testdata")
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  # `unit_tests` builds just the unit-test binaries (what the sanitizer run executes).
  if("unit" IN_LIST labels)
    add_dependencies(unit_tests ${name}_test)
  endif()
  gtest_discover_tests(${name}_test PROPERTIES LABELS "${labels}" DISCOVERY_TIMEOUT 60)
endfunction()
