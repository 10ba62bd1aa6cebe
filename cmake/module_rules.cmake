# The dependency rule of src/README.md, enforced by the compiler. A module's library does not
# see src/: it compiles against a folder of its own (in the build tree) that holds links to its
# own module and to what it may include, nothing else, so a forbidden #include fails to compile.
# Code at the edge (app/, tools/, bench/, tests/) includes src/ whole.
#
#   image_resize_module_rule(<target> <entry>...)
# An entry is a module folder ("core"), a folder below one ("tasks/redis"), one header
# ("imaging/image_processor.h"), or the headers at the top of a folder ("tasks/*.h": a module's
# ports, without its backends below).
function(image_resize_module_rule target)
  set(view ${CMAKE_BINARY_DIR}/module-views/${target})
  file(REMOVE_RECURSE ${view})
  foreach(entry IN LISTS ARGN)
    if(entry MATCHES "\\*")
      file(GLOB headers RELATIVE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/src/${entry})
    else()
      set(headers ${entry})
    endif()
    foreach(path IN LISTS headers)
      if(NOT EXISTS ${PROJECT_SOURCE_DIR}/src/${path})
        message(FATAL_ERROR "module rule of ${target}: no src/${path}")
      endif()
      get_filename_component(parent ${view}/${path} DIRECTORY)
      file(MAKE_DIRECTORY ${parent})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${path} ${view}/${path} SYMBOLIC)
    endforeach()
  endforeach()
  target_include_directories(${target} PRIVATE ${view})
endfunction()
