// A mock OpenRouter on the loopback (plain HTTP): POST /api/v1/chat/completions
// answered by a script, in OpenRouter's wire format. It records every request
// (which signal it was about, when it came) so tests can count them.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace vyx::test {

struct mock_action {
  enum kind_type { respond, hang, close } kind = respond;
  unsigned status = 200;
  std::string content;       // the assistant's text, for a 200
  std::string raw_body;      // when set, sent as the body instead of an envelope
  unsigned retry_after = 0;  // seconds; sent when non-zero
};

struct mock_request {
  std::string signal;  // "SYMBOL|close_time" read from the prompt, "" if not found
  std::string prompt;  // the user message: the trader's instructions and the signal's context
  std::string authorization, model;
  double temperature = -1;
  std::chrono::steady_clock::time_point at;
};

// Called on the mock's I/O thread with the request's number (from 0) and the request.
using mock_script = std::function<mock_action(std::size_t index, const mock_request& request)>;

std::string verdict_text(const char* decision, int confidence, const char* reasoning);
mock_action answer(const std::string& content);
mock_action hang();  // keeps the connection open and silent

class mock_provider {
 public:
  explicit mock_provider(mock_script script);  // listens on 127.0.0.1, any free port
  ~mock_provider();
  mock_provider(const mock_provider&) = delete;
  mock_provider& operator=(const mock_provider&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT/api/v1
  std::vector<mock_request> requests() const;
  // Waits until at least `count` requests came (true) or `timeout` passed.
  bool wait_requests(std::size_t count, std::chrono::milliseconds timeout) const;

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace vyx::test
