// How the registry turns a trader's code into a plugin (spdlog's sink
// shape): the local compile child (`vyx` built with the compiler library)
// or the compile service (VYX_COMPILER_URL).
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>

#include "vyx/runtime/registry/trader_record.hpp"

namespace vyx::runtime {

struct trader_build {
  bool ok = false;
  std::filesystem::path plugin;   // the built .so when ok
  std::uint32_t history_bars = 0;
  std::string error;  // the diagnostics, one per line, when not ok
};

class trader_compiler {
 public:
  virtual ~trader_compiler() = default;
  trader_build build(const trader_record& trader) {
    std::lock_guard lock(mutex_);
    return build_it_(trader);
  }

 protected:
  virtual trader_build build_it_(const trader_record& trader) = 0;
  std::mutex mutex_;
};

}  // namespace vyx::runtime
