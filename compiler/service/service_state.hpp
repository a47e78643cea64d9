// What every connection of the compile service shares: the compiler, the
// worker pool, the metrics, the settings, and the live sessions (for shutdown).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "artifact_signer.hpp"
#include "compile_queue.hpp"
#include "service_config.hpp"
#include "service_metrics.hpp"
#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler::service {

class http_session;

class service_state {
 public:
  service_state(const service_config& config, vyx::compiler::compiler& compiler);

  const service_config& config() const { return config_; }
  vyx::compiler::compiler& compiler() { return compiler_; }
  compile_queue& queue() { return queue_; }
  service_metrics& metrics() { return metrics_; }
  artifact_signer& signer() { return signer_; }

  void join(const std::shared_ptr<http_session>& session);
  void leave();

  // Tells every session to finish its current response and close; calls
  // `on_idle` (from any thread) once no session is left.
  void begin_shutdown(std::function<void()> on_idle);
  bool stopping() const { return stopping_.load(); }
  // After the event loop has ended: sessions destroyed with it must not call back.
  void forget_idle_callback();

 private:
  const service_config config_;
  vyx::compiler::compiler& compiler_;
  compile_queue queue_;
  service_metrics metrics_;
  artifact_signer signer_;

  std::atomic<bool> stopping_{false};
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<http_session>> sessions_;
  std::size_t live_sessions_ = 0;
  std::function<void()> on_idle_;
};

}  // namespace vyx::compiler::service
