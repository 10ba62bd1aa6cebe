# Warnings are errors in our code; third-party headers are included as system headers.
add_library(image_resize_warnings INTERFACE)
target_compile_options(image_resize_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wimplicit-fallthrough -Werror)
