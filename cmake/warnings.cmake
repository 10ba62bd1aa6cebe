# Warnings are errors in our code; third-party headers are included as system headers.
add_library(image_resize_warnings INTERFACE)
target_compile_options(image_resize_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough -Werror)
# g++ 12 reports a coroutine frame of Boost.Asio's awaitable as freed by a mismatched operator
# delete when inlining decides so (GCC bug 109224, fixed in 13): a false positive.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(image_resize_warnings INTERFACE -Wno-mismatched-new-delete)
endif()
