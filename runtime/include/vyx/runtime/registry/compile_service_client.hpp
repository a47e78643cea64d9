// A trader_compiler that asks the compile service (`vyxc serve`,
// compiler/SERVICE.md): POST /v1/compile, then the artifact through an
// artifact_fetcher, which loads nothing whose Ed25519 signature, hash or ELF
// audit does not check out (a refusal is the build's error, so it lands in
// the trader's status).
#pragma once

#include <chrono>

#include "vyx/runtime/artifacts/artifact_fetcher.hpp"
#include "vyx/runtime/registry/trader_compiler.hpp"

namespace vyx::runtime {

class compile_service_client final : public trader_compiler {
 public:
  // Throws std::runtime_error on a bad URL, a missing or malformed public key
  // or an unusable cache folder (artifact_fetcher's checks).
  explicit compile_service_client(
      artifact_source_config config,
      std::chrono::milliseconds compile_timeout = std::chrono::seconds(120));

  // The verified fetcher, also for traders pinned by artifact hash.
  artifact_fetcher& fetcher() { return fetcher_; }

 protected:
  trader_build build_it_(const trader_record& trader) override;

 private:
  artifact_fetcher fetcher_;
  std::chrono::milliseconds compile_timeout_;
};

}  // namespace vyx::runtime
