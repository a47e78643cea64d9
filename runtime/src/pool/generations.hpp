// Worker generations, for hot reload: load() builds and warms a new
// generation beside the running one, the next tick switches it in, and the
// old one is retired after that tick's results are out. The pool never
// stops evaluating while plugins change.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "pool/pool_backend.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

struct pool_context;

// One set of plugins, started: trader indices are indices into specs.
struct generation {
  std::vector<trader_spec> specs;
  std::vector<plugin_info> infos;
  std::unique_ptr<generation_runner> runner;
};

class generations {
 public:
  generations(pool_context& context, pool_backend& backend);
  ~generations();
  generations(const generations&) = delete;
  generations& operator=(const generations&) = delete;

  // Builds, starts and warms the next generation; it is switched in at the
  // next tick boundary. A plugin that fails keeps its previous version if
  // there is one, else drops out; either way it is reported.
  load_report load(const std::vector<trader_spec>& traders);

  // At a tick's start, for a tick closing at now_ms: switches in a loaded
  // generation. Returns the one to run, or null before the first load().
  generation* begin_tick(std::int64_t now_ms);
  // Once that tick's results are out: the retired generation is told to quit.
  void end_tick();
  // The generation a chart is drawn with (switching in the first one if none ran yet).
  generation* for_series();
  const generation* current() const { return current_.get(); }

 private:
  void warm(generation& g);
  void retire();
  void discard(std::unique_ptr<generation>& g);
  void switch_generation();

  pool_context& context_;
  pool_backend& backend_;
  std::unique_ptr<generation> current_, pending_, retired_;
  std::int64_t last_now_ms_ = 0;  // of the latest tick: what a warm-up round passes
};

}  // namespace vyx::runtime
