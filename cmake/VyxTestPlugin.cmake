# Test plugins built straight from C or C++ against abi.h, bypassing the
# compiler and its checker: hostile code for the sandbox and attack tests,
# probes for the runtime's own tests.
#
#   vyx_test_plugin(<target> <source> OUTPUT_DIR <dir> [OUTPUT_NAME <name>]
#                   [AUDITED] [SDK] [DEFINITIONS <definition>...])
#
# Never instrumented: in sanitizer builds a plugin's faults must stay plain
# signals and syscalls, and it may import only libc and libm.
# AUDITED: linked as the compiler links plugins, so that it passes the
#   runtime's ELF audit: the entry symbol only, no start files (no init code).
# SDK: C++ against the SDK headers, without exceptions, as traders are.
function(vyx_test_plugin target source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "AUDITED;SDK" "OUTPUT_DIR;OUTPUT_NAME" "DEFINITIONS")
  add_library(${target} MODULE ${source})
  target_link_libraries(${target} PRIVATE vyx::abi m)
  target_compile_options(${target} PRIVATE -fvisibility=hidden
                         $<$<BOOL:${VYX_SANITIZE}>:-fno-sanitize=all -O2>)
  target_link_options(${target} PRIVATE $<$<BOOL:${VYX_SANITIZE}>:-fno-sanitize=all>)
  if(arg_AUDITED)
    target_link_options(${target} PRIVATE -nostartfiles
                        -Wl,--version-script=${PROJECT_SOURCE_DIR}/tests/runtime/plugins/plugin.map)
  endif()
  if(arg_SDK)
    target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/indicators/include)
    target_compile_features(${target} PRIVATE cxx_std_20)
    target_compile_options(${target} PRIVATE -fno-exceptions)
  endif()
  if(NOT arg_OUTPUT_NAME)
    set(arg_OUTPUT_NAME ${target})
  endif()
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME ${arg_OUTPUT_NAME}
                                             LIBRARY_OUTPUT_DIRECTORY ${arg_OUTPUT_DIR})
  target_compile_definitions(${target} PRIVATE ${arg_DEFINITIONS})
endfunction()
