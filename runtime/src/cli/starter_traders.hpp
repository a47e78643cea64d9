// The commented starter traders `vyx new` writes: one per language, each
// accepted by the checker as written (tests/runtime/new_command_test.cpp).
#pragma once

#include <string>

namespace vyx::cli {

// A C++ dialect trader (NAME.cpp) and a platform Go body (NAME.go) named `name`.
std::string starter_cpp_trader(const std::string& name);
std::string starter_go_trader(const std::string& name);

}  // namespace vyx::cli
