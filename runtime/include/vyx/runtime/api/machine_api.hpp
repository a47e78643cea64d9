// The machine's HTTP API as the platform's edge functions call it: routes,
// sign-in, CORS and a per-client rate limit, independent of the transport
// (the Beast server hands it requests). /health, / and /metrics are public;
// /api/v1/* need the owner's (or the platform's service role) token.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "vyx/runtime/api/event_stream.hpp"
#include "vyx/runtime/api/trader_control.hpp"
#include "vyx/runtime/auth/token_verifier.hpp"
#include "vyx/runtime/server/http_server.hpp"

namespace vyx::runtime::api {

struct api_config {
  // CORS: origins allowed to call from a browser; "*" (the platform's
  // setting, the default) allows any.
  std::vector<std::string> allowed_origins = {"*"};
  double rate_per_second = 20;  // per client address, sustained
  double burst = 40;            // tokens a client may spend at once
  // Behind Fly's proxy every socket address is the proxy's: with this set
  // (VYX_TRUST_PROXY_HEADERS=1, off by default, since a client reaching the
  // machine directly could send any header) the rate limit is keyed on
  // Fly-Client-IP instead, when present.
  bool trust_proxy_headers = false;
};

// CORS origins from VYX_CORS_ORIGINS (comma-separated), rate from
// VYX_API_RATE_PER_SECOND and VYX_API_BURST, VYX_TRUST_PROXY_HEADERS (1 or 0). Throws std::runtime_error on a bad number.
api_config api_config_from_environment();

class machine_api {
 public:
  // `health` renders /health's JSON, `metrics` /metrics' text (empty = 503
  // "starting"); both are called on the server's threads. With `stream`,
  // GET /api/v1/stream serves its events (and /metrics its counters); it
  // must outlive the server.
  machine_api(api_config config, const auth::token_verifier& verifier, trader_control& traders,
              std::function<std::string()> health, std::function<std::string()> metrics,
              event_stream* stream = nullptr);
  ~machine_api();
  machine_api(const machine_api&) = delete;
  machine_api& operator=(const machine_api&) = delete;

  http_reply handle(const http_request& request);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::runtime::api
