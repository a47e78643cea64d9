// Settings of `vyxc serve` and the limits the HTTP service enforces.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "vyx/common/artifact_signature.hpp"

namespace vyx::compiler::service {

using common::signing_key;  // the Ed25519 keys of vyx/common/artifact_signature.hpp
using common::verify_key;

struct service_limits {
  // A compile request carries one trader's source; 1 MiB is far above any real one.
  std::uint64_t body_limit = 1 << 20;
  std::uint32_t header_limit = 16 * 1024;
  // Time a client gets to send a whole request, and to take our response.
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds write_timeout{60};
  // After an early answer (413, 401...) we drain the unread body for at most
  // this long / this much, so the client sees the answer instead of a reset.
  std::chrono::seconds linger_timeout{2};
  std::size_t linger_bytes = 4 << 20;
  // What a 503 tells the client to wait before retrying.
  std::chrono::seconds retry_after{2};
  // How long shutdown waits for in-flight compiles before stopping anyway.
  std::chrono::seconds shutdown_grace{30};
};

struct service_config {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;   // 0: the kernel picks one; the bound port is printed
  unsigned jobs = 0;        // compile workers; 0: one per core
  unsigned max_queue = 16;  // compiles waiting for a worker before we answer 503
  // Threads beside the workers that take a compile only while every worker
  // has been busy for over long_compile (compile bombs): cheap compiles keep
  // flowing. 0 turns the reserve off.
  unsigned reserve_workers = 1;
  unsigned long_compile_ms = 2000;
  std::string token;        // bearer token; empty only with --insecure
  bool insecure = false;
  // Signs every artifact the service hands out; null: artifacts go out unsigned.
  std::shared_ptr<const signing_key> artifact_key;
  service_limits limits;
};

}  // namespace vyx::compiler::service
