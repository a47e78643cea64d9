#include "vyx/runtime/api/event_stream.hpp"

#include <chrono>
#include <cstdlib>
#include <deque>
#include <stdexcept>

#include "vyx/runtime/screening/trader_signal.hpp"
#include "vyx/runtime/sinks/signal_sink.hpp"

namespace vyx::runtime::api {

// Shared by the publisher (which appends) and the client's session (which
// takes): whichever lets go last frees it, so neither outlives the other's needs.
struct event_stream::client_queue final : http_event_source {
  std::mutex mutex;
  std::deque<std::string> events;
  bool closed = false;  // dropped by the publisher, or the session went away

  bool take(std::string& out) override {
    std::lock_guard lock(mutex);
    if (closed) return false;
    for (auto& e : events) out += e;
    events.clear();
    return true;
  }
  bool dropped() override {
    std::lock_guard lock(mutex);
    return closed;
  }
  void close() override {
    std::lock_guard lock(mutex);
    closed = true;
    events.clear();
  }
};

event_stream::event_stream(std::size_t queue_events) : queue_events_(queue_events) {}

event_stream::~event_stream() {
  std::lock_guard lock(mutex_);
  for (auto& client : clients_) client->close();
}

std::shared_ptr<http_event_source> event_stream::subscribe() {
  auto client = std::make_shared<client_queue>();
  std::lock_guard lock(mutex_);
  clients_.push_back(client);
  ++connected_;
  return client;
}

void event_stream::publish(std::string_view type, std::string_view data_json) {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string event;
  event.reserve(data_json.size() + 80);
  event.append("event: ").append(type).append("\ndata: {\"type\":\"").append(type);
  event.append("\",\"timestamp\":\"").append(iso8601_utc(now)).append("\",\"data\":");
  event.append(data_json).append("}\n\n");
  ++published_;
  std::lock_guard lock(mutex_);
  std::erase_if(clients_, [&](const std::shared_ptr<client_queue>& client) {
    std::lock_guard client_lock(client->mutex);
    if (client->closed) return true;
    if (client->events.size() >= queue_events_) {
      client->closed = true;  // its session sees it and closes the connection
      client->events.clear();
      ++dropped_;
      return true;
    }
    client->events.push_back(event);
    return false;
  });
}

std::size_t event_stream::clients() const {
  std::lock_guard lock(mutex_);
  std::size_t open = 0;
  for (const auto& client : clients_) {
    std::lock_guard client_lock(client->mutex);
    if (!client->closed) ++open;
  }
  return open;
}

std::string event_stream::metrics_text() const {
  std::string out;
  out += "# HELP vyx_stream_clients Clients connected to /api/v1/stream.\n";
  out += "# TYPE vyx_stream_clients gauge\nvyx_stream_clients " + std::to_string(clients()) + "\n";
  out += "# HELP vyx_stream_connections_total Stream clients ever connected.\n";
  out += "# TYPE vyx_stream_connections_total counter\nvyx_stream_connections_total " +
         std::to_string(connected_.load()) + "\n";
  out += "# HELP vyx_stream_events_total Events published to the stream.\n";
  out += "# TYPE vyx_stream_events_total counter\nvyx_stream_events_total " +
         std::to_string(published_.load()) + "\n";
  out += "# HELP vyx_stream_dropped_clients_total Stream clients dropped for a full queue.\n";
  out += "# TYPE vyx_stream_dropped_clients_total counter\nvyx_stream_dropped_clients_total " +
         std::to_string(dropped_.load()) + "\n";
  return out;
}

std::size_t stream_queue_events_from_environment() {
  const char* text = std::getenv("VYX_STREAM_QUEUE_EVENTS");
  if (!text || !*text) return 1024;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0' || *text == '-' || value < 1 || value > 1000000)
    throw std::runtime_error("VYX_STREAM_QUEUE_EVENTS: a whole number from 1 to 1000000");
  return static_cast<std::size_t>(value);
}

namespace {

class stream_sink final : public signal_sink {
 public:
  explicit stream_sink(event_stream& stream) : stream_(stream) {}

 protected:
  void sink_it_(const trader_signal& signal) override { stream_.publish("signal", to_json(signal)); }

 private:
  event_stream& stream_;
};

}  // namespace

std::unique_ptr<signal_sink> make_stream_sink(event_stream& stream) {
  return std::make_unique<stream_sink>(stream);
}

}  // namespace vyx::runtime::api
