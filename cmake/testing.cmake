find_package(GTest REQUIRED)
include(GoogleTest)

# image_resize_add_test(NAME SOURCES a.cpp b.cpp LIBS lib1 lib2 [LABELS l])
# One GoogleTest executable, its tests registered one by one with CTest.
function(image_resize_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} image_resize_test_support GTest::gtest GTest::gtest_main image_resize_warnings)
  target_compile_definitions(${name} PRIVATE
    IMAGE_RESIZE_FIXTURES_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 NO_PRETTY_VALUES PROPERTIES LABELS "${ARG_LABELS}")
endfunction()
