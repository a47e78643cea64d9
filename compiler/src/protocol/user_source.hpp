// Where the user's file sits in the compile child's virtual file system: the
// name clang gives its locations, which the parent reads back.
#pragma once

#include <string_view>

namespace vyx::compiler {

inline constexpr std::string_view user_source_path = "/vyx/user/trader.cpp";

}  // namespace vyx::compiler
