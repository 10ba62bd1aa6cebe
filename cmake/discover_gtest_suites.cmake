# cmake -P script, run after TEST_EXECUTABLE is built (cmake/testing.cmake): writes CTEST_FILE,
# which registers one CTest test per GoogleTest suite, named TEST_PREFIX + suite and run with
# --gtest_filter=<suite>.*, with LABELS and, when given, ENVIRONMENT.
execute_process(COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
  OUTPUT_FILE "${CTEST_FILE}.list" RESULT_VARIABLE listed TIMEOUT 60)
if(NOT listed EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed: ${listed}")
endif()
# Suites start at the beginning of a line ("Suite." or "Prefix/Suite.  # TypeParam = ..."),
# their tests are indented.
file(STRINGS "${CTEST_FILE}.list" suite_lines REGEX "^[^ ]")
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
