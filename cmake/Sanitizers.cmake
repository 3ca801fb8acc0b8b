# The checked build (scripts/check-sanitized.sh): AddressSanitizer + UndefinedBehaviorSanitizer on
# every project target, any finding fatal; with QCI_FUZZ, clang's coverage instrumentation too and
# the libFuzzer programs of tests/fuzz.
option(QCI_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(QCI_FUZZ "Build the libFuzzer targets of tests/fuzz (clang; implies QCI_SANITIZE)" OFF)
set(QCI_FUZZ_SECONDS 30 CACHE STRING "Time budget of each fuzz target under ctest -L fuzz")

if(QCI_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "QCI_FUZZ needs clang (libFuzzer); configure with CXX=clang++")
  endif()
  set(QCI_SANITIZE ON CACHE BOOL "" FORCE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(QCI_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # Tests that measure peak memory know their figures mean nothing under ASan's shadow memory.
  add_compile_definitions(QCI_SANITIZED=1)
endif()
