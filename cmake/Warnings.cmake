# One warnings target that every project target links: warnings are fixed, not silenced.
add_library(qci_warnings INTERFACE)
target_compile_options(qci_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>
  $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>  # clang (the checked build) has no -Wshadow=local
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wnon-virtual-dtor
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough>)
option(QCI_WARNINGS_AS_ERRORS "Treat warnings as errors" OFF)
if(QCI_WARNINGS_AS_ERRORS)
  target_compile_options(qci_warnings INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()
