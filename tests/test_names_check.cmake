# CTest splits a test name at ';' (a CMake list separator): a doctest case
# whose name holds one is registered as two names that match nothing, and runs
# nowhere while the suite stays green. This check fails on any such name.
file(GLOB_RECURSE sources ${TESTS_DIR}/*.cpp)
set(bad "")
foreach(source IN LISTS sources)
  file(STRINGS ${source} lines REGEX "TEST_CASE\\(\"[^\"]*\;")
  foreach(line IN LISTS lines)
    string(STRIP "${line}" line)
    list(APPEND bad "${source}: ${line}")
  endforeach()
endforeach()
if(bad)
  list(JOIN bad "\n  " listing)
  message(FATAL_ERROR "test names with ';' never run under CTest, rename them:\n  ${listing}")
endif()
