// Shared by the signed-artifact tests: a signing key on disk, a running
// `vyxc serve` (with or without that key), compiles through it, and a fetcher
// configured as a machine would be.
#pragma once

#include <doctest/doctest.h>

#include <fstream>

#include "test_support.hpp"
#include "vyx/common/artifact_signature.hpp"
#include "vyx/runtime/artifacts/artifact_fetcher.hpp"

namespace vyx::test {

struct key_on_disk {
  common::signing_key key = common::signing_key::generate();
  std::filesystem::path file;

  explicit key_on_disk(const std::filesystem::path& dir) : file(dir / "signing-key.pem") {
    std::ofstream(file) << key.private_pem();
  }
};

inline std::string compile_hash(std::uint16_t port, const std::string& code,
                                const std::string& name = "sample") {
  const auto reply = http_call(port, compile_request_for(code, name));
  REQUIRE(reply.status == 200);
  json_doc doc(reply.body);
  bool ok = false;
  REQUIRE(!doc["ok"].get(ok));
  REQUIRE(ok);
  std::string_view hash;
  REQUIRE(!doc["hash"].get(hash));
  return std::string(hash);
}

inline runtime::artifact_source_config machine_config(std::uint16_t port,
                                                      const std::string& public_key,
                                                      const std::filesystem::path& cache) {
  runtime::artifact_source_config config;
  config.compiler_url = "http://127.0.0.1:" + std::to_string(port);
  config.token = service_token;
  config.public_key = public_key;
  config.cache_dir = cache;
  config.limits.timeout = std::chrono::milliseconds(60000);
  return config;
}

inline void flip_last_byte(const std::filesystem::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(-1, std::ios::end);
  char c = 0;
  f.read(&c, 1);
  f.seekp(-1, std::ios::end);
  c = static_cast<char>(c ^ 0x5a);
  f.write(&c, 1);
}

}  // namespace vyx::test
