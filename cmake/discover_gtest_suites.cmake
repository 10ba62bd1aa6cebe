# Included by CTest (the file image_resize_register_suites writes, cmake/testing.cmake) when
# TEST_EXECUTABLE is newer than CTEST_FILE: writes CTEST_FILE, which registers one CTest test
# per GoogleTest suite, named TEST_PREFIX + suite and run with --gtest_filter=<suite>.*, with
# LABELS and, when given, ENVIRONMENT.
execute_process(COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
  OUTPUT_FILE "${CTEST_FILE}.list" RESULT_VARIABLE listed TIMEOUT 60)
if(NOT listed EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed: ${listed}")
endif()
# A suite is a line "Suite." or "Prefix/Suite.  # TypeParam = ...", its tests are indented; other
# lines (gtest_main's "Running main() from ...") are not suites.
file(STRINGS "${CTEST_FILE}.list" suite_lines REGEX "^[A-Za-z_][A-Za-z0-9_/]*\\.( |$)")
file(REMOVE "${CTEST_FILE}.list")
set(script "")
foreach(line IN LISTS suite_lines)
  string(REGEX REPLACE "\\..*$" "" suite "${line}")
  if(suite MATCHES "^DISABLED_")
    continue()
  endif()
  set(name "${TEST_PREFIX}${suite}")
  string(APPEND script
    "add_test([==[${name}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${suite}.*]==])\n"
    "set_tests_properties([==[${name}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]"
    " LABELS [==[${LABELS}]==]")
  if(ENVIRONMENT)
    string(APPEND script " ENVIRONMENT [==[${ENVIRONMENT}]==]")
  endif()
  string(APPEND script ")\n")
endforeach()
file(WRITE "${CTEST_FILE}" "${script}")
