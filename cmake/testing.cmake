find_package(GTest REQUIRED)
include(GoogleTest)

# image_resize_add_test(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l] [PER_TEST])
# One GoogleTest executable, registered with CTest one test per suite (see
# image_resize_register_suites), or one per test with PER_TEST, for suites whose every test
# starts its own servers.
function(image_resize_add_test name)
  cmake_parse_arguments(ARG "PER_TEST" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} image_resize_test_support GTest::gtest GTest::gtest_main image_resize_warnings)
  target_compile_definitions(${name} PRIVATE
    IMAGE_RESIZE_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  if(ARG_PER_TEST)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 NO_PRETTY_VALUES PROPERTIES LABELS "${ARG_LABELS}")
  else()
    image_resize_register_suites(${name} LABELS "${ARG_LABELS}")
  endif()
endfunction()

# image_resize_register_suites(TARGET [PREFIX p] [LABELS l] [ENVIRONMENT VAR=value])
# One CTest test per GoogleTest suite of TARGET, named PREFIX + suite: a suite's tests share one
# process, so a suite that shares a server (SetUpTestSuite) starts it once, not once per test.
# CTest lists the suites (cmake/discover_gtest_suites.cmake) when the executable, or that
# script, is newer than the list.
function(image_resize_register_suites target)
  cmake_parse_arguments(ARG "" "PREFIX;LABELS;ENVIRONMENT" "" ${ARGN})
  string(MAKE_C_IDENTIFIER "${target}_${ARG_PREFIX}" stem)
  set(suites_file "${CMAKE_CURRENT_BINARY_DIR}/${stem}_suites.cmake")
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${stem}_include.cmake")
  set(script "${PROJECT_SOURCE_DIR}/cmake/discover_gtest_suites.cmake")
  file(GENERATE OUTPUT "${include_file}" CONTENT
"set(TEST_EXECUTABLE [==[$<TARGET_FILE:${target}>]==])
if(NOT EXISTS \"\${TEST_EXECUTABLE}\")
  add_test([==[${ARG_PREFIX}${target}_NOT_BUILT]==] [==[${target}_NOT_BUILT]==])
  return()
endif()
if(\"\${TEST_EXECUTABLE}\" IS_NEWER_THAN [==[${suites_file}]==] OR
   [==[${script}]==] IS_NEWER_THAN [==[${suites_file}]==])
  set(CTEST_FILE [==[${suites_file}]==])
  set(TEST_PREFIX [==[${ARG_PREFIX}]==])
  set(LABELS [==[${ARG_LABELS}]==])
  set(ENVIRONMENT [==[${ARG_ENVIRONMENT}]==])
  set(WORKING_DIRECTORY [==[${CMAKE_CURRENT_BINARY_DIR}]==])
  include([==[${script}]==])
endif()
include([==[${suites_file}]==])
")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
