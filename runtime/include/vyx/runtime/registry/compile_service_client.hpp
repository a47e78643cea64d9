// A trader_compiler that asks the compile service (`vyxc serve`,
// compiler/SERVICE.md): POST /v1/compile, then GET /v1/artifacts/{hash}
// into a local folder (skipped when that hash is already there).
#pragma once

#include <chrono>
#include <filesystem>
#include <string>

#include "vyx/runtime/registry/trader_compiler.hpp"

namespace vyx::runtime {

struct compile_service_options {
  std::string url;    // http://host:port (VYX_COMPILER_URL); https is not supported yet
  std::string token;  // bearer token (VYX_COMPILER_TOKEN)
  std::filesystem::path artifacts;  // where fetched plugins are kept
  std::chrono::seconds timeout{90};
};

class compile_service_client final : public trader_compiler {
 public:
  explicit compile_service_client(compile_service_options options);  // throws on a bad URL

 protected:
  trader_build build_it_(const trader_record& trader) override;

 private:
  compile_service_options options_;
  std::string host_, port_, prefix_;
};

}  // namespace vyx::runtime
