# Finds every dependency of DESIGN.md from Debian's packages; nothing is
# downloaded. Each becomes an imported target the folders link against.
find_package(PkgConfig REQUIRED)

find_package(LLVM 16 REQUIRED CONFIG HINTS /usr/lib/llvm-16/lib/cmake/llvm)
find_package(Clang REQUIRED CONFIG HINTS /usr/lib/llvm-16/lib/cmake/clang)
find_package(LLD CONFIG HINTS /usr/lib/llvm-16/lib/cmake/lld)
# FindBoost predates 1.81 and warns about it; Debian ships the matching config.
set(Boost_NO_WARN_NEW_VERSIONS ON)
find_package(Boost 1.81 EXACT REQUIRED COMPONENTS filesystem program_options)
find_package(simdjson REQUIRED CONFIG)
find_package(spdlog REQUIRED CONFIG)
find_package(doctest REQUIRED CONFIG)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_package(benchmark REQUIRED CONFIG)
pkg_check_modules(libpqxx REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(libseccomp REQUIRED IMPORTED_TARGET libseccomp)
# The machine API's sign-in: Supabase access tokens verified with libjwt (runtime/src/auth/).
pkg_check_modules(libjwt REQUIRED IMPORTED_TARGET libjwt)

# The clang-16 driver: used to build test plugins and as the baseline in bench/.
find_program(VYX_CLANG_EXECUTABLE NAMES clang++-16 HINTS ${LLVM_TOOLS_BINARY_DIR} REQUIRED)

message(STATUS "vyx: LLVM ${LLVM_PACKAGE_VERSION}, Boost ${Boost_VERSION}, simdjson ${simdjson_VERSION}, "
               "libpqxx ${libpqxx_VERSION}, libseccomp ${libseccomp_VERSION}, SQLite ${SQLite3_VERSION}")
