// The registry's compiler when no compile service is configured: the
// compiler library in this process, each compile in a vyx-compile-child.
#pragma once

#include <memory>

#include "vyx/runtime/registry/trader_compiler.hpp"

namespace vyx::cli {

// nullptr when this vyx was built without the compiler library.
std::unique_ptr<runtime::trader_compiler> make_local_trader_compiler();

}  // namespace vyx::cli
