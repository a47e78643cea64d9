// The live stream's fan-out (GET /api/v1/stream): screening publishes
// events, each connected client has a bounded queue of its own. Publishing
// only appends to those queues under a short lock (never a socket write, never
// a wait), and a client whose queue is full is dropped rather than slowing
// the publisher: its connection is closed and counted.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vyx/runtime/server/http_server.hpp"

namespace vyx::runtime {
class signal_sink;
}

namespace vyx::runtime::api {

class event_stream {
 public:
  // `queue_events`: events a client may have waiting before it is dropped.
  explicit event_stream(std::size_t queue_events = 1024);
  ~event_stream();
  event_stream(const event_stream&) = delete;
  event_stream& operator=(const event_stream&) = delete;

  // A new client's queue, read by the HTTP server's streaming session.
  std::shared_ptr<http_event_source> subscribe();

  // One server-sent event {"type", "timestamp", "data"}; `type` is "signal",
  // "status" or "error", `data_json` a JSON value.
  void publish(std::string_view type, std::string_view data_json);

  std::size_t clients() const;
  std::uint64_t published() const { return published_; }
  std::uint64_t dropped() const { return dropped_; }
  // The stream's Prometheus lines (vyx_stream_*), appended to /metrics.
  std::string metrics_text() const;

 private:
  struct client_queue;
  const std::size_t queue_events_;
  mutable std::mutex mutex_;
  std::vector<std::shared_ptr<client_queue>> clients_;
  std::atomic<std::uint64_t> published_{0}, dropped_{0}, connected_{0};
};

// VYX_STREAM_QUEUE_EVENTS (default 1024). Throws std::runtime_error on a bad number.
std::size_t stream_queue_events_from_environment();

// A sink that publishes every signal as the screening writes it (to_json's shape).
std::unique_ptr<signal_sink> make_stream_sink(event_stream& stream);

}  // namespace vyx::runtime::api
