// OpenRouter's chat completions (POST {url}/chat/completions with a bearer
// key) over HTTPS verified against the system CA store (or a given CA file),
// or plain HTTP to a loopback address (tests). One exchange per call, on the
// caller's thread with its own io_context, bounded by a total deadline;
// cancel_all() ends every call in flight at once (shutdown). The transport
// is the runtime's one HTTP client (vyx/runtime/net/http_client.hpp).
#pragma once

#include <chrono>
#include <string>

#include "vyx/runtime/net/http_client.hpp"

namespace vyx::runtime {

struct provider_options {
  std::string url = "https://openrouter.ai/api/v1";  // OPENROUTER_API_URL
  std::string api_key;                               // OPENROUTER_API_KEY
  std::string model = "google/gemini-2.5-flash";     // VYX_ANALYSIS_MODEL
  double temperature = 0.2;                          // VYX_ANALYSIS_TEMPERATURE
  std::chrono::milliseconds timeout{60'000};         // one whole exchange
  std::string ca_file;                               // empty: the system store
};

struct provider_reply {
  unsigned status = 0;   // 0: no HTTP answer (see error)
  std::string body;
  std::string error;     // transport failure, never the key or the body
  bool timed_out = false;
  std::chrono::seconds retry_after{0};  // from a Retry-After header (seconds form)
};

class provider_client {
 public:
  static constexpr std::size_t body_limit = 1u << 20;  // an answer is a few KiB

  // Throws std::invalid_argument on a bad URL, plain http to a non-loopback
  // host, or a CA file that cannot be read.
  explicit provider_client(provider_options options);
  ~provider_client();

  const provider_options& options() const { return options_; }
  // The request body for one analysis (model, temperature, the messages).
  std::string request_body(const std::string& system_prompt, const std::string& user_prompt) const;
  provider_reply post(const std::string& body);
  void cancel_all();

 private:
  provider_options options_;
  http_url url_;
  http_cancellation cancellation_;
};

}  // namespace vyx::runtime
