// The in-process backend: a generation's plugins loaded into this process and
// run by one evaluator, with no sandbox, no watchdog and no workers. Only
// for the in-process cost benchmark (options.sandbox = false): a plugin's
// crash here is the pool's crash.
#include <cstring>

#include "evaluation/evaluator.hpp"
#include "evaluation/plugin_loader.hpp"
#include "evaluation/plugin_output.hpp"
#include "pool/pool_backend.hpp"
#include "pool/pool_context.hpp"

namespace vyx::runtime {
namespace {

class in_process_generation final : public generation_runner {
 public:
  in_process_generation(pool_context& context, std::vector<trader_spec> specs,
                        std::vector<loaded_plugin> plugins,
                        std::vector<const vyx_plugin*> descriptors)
      : context_(context),
        specs_(std::move(specs)),
        plugins_(std::move(plugins)),
        evaluator_(context.store, std::move(descriptors), context.options.go_window_bars) {}

  void run_tick(const std::vector<std::uint32_t>& active, const tick_request& request,
                tick_result& result, std::set<std::uint32_t>&) override {
    const candle_store& store = context_.store;
    for (std::size_t s = 0; s < store.symbol_count(); ++s) {
      evaluator_.begin_symbol(s, request.now_ms, store.symbol_count());
      for (std::uint32_t t : active) {
        evaluation e = evaluator_.evaluate(t);
        ++result.evaluations;
        if (e.matched) {
          match m;
          m.trader_index = t;
          m.symbol_index = static_cast<std::uint32_t>(s);
          const vyx_signal_value* values = evaluator_.values();
          for (std::uint32_t v = 0; v < e.value_count; ++v)
            m.values.push_back(
                {std::string(values[v].name, strnlen(values[v].name, VYX_NAME_CAPACITY)),
                 values[v].value});
          result.matches.push_back(std::move(m));
        } else if (!benign_status(e.status)) {
          const status_fault f = describe_status(e.status);
          context_.record_fault(specs_[t].id, s, f.what, f.reason, &result);
        }
      }
    }
  }

  std::uint64_t warm_up(const std::vector<std::uint32_t>& traders,
                        const tick_request& request) override {
    const std::size_t symbols = context_.store.symbol_count();
    for (std::size_t s = 0; s < symbols; ++s) {
      evaluator_.begin_symbol(s, request.now_ms, symbols);
      for (std::uint32_t t : traders) (void)evaluator_.evaluate(t);
    }
    return symbols * traders.size();
  }

  plot_result series(std::uint32_t trader, std::size_t symbol) override {
    return evaluator_.series(trader, symbol, 0);
  }

  unsigned worker_count() const override { return 1; }
  void after_tick(std::chrono::nanoseconds) override {}
  void ask_to_quit() override {}
  void discard() override {}

 private:
  pool_context& context_;
  std::vector<trader_spec> specs_;
  std::vector<loaded_plugin> plugins_;  // the evaluator's descriptors live in them
  evaluator evaluator_;
};

class in_process_backend final : public pool_backend {
 public:
  explicit in_process_backend(pool_context& context) : context_(context) {}

  started_generation start(const std::vector<trader_spec>& specs) override {
    started_generation started;
    std::vector<loaded_plugin> plugins;
    std::vector<const vyx_plugin*> descriptors;
    bool all_loaded = true;
    for (const trader_spec& spec : specs) {
      plugin_load_result loaded = plugin_loader::load(spec.plugin_path);
      plugin_info info;
      info.ok = loaded.ok;
      info.error = loaded.error;
      if (loaded.ok) {
        const vyx_plugin* d = loaded.plugin.descriptor();
        info.name = d->name;
        info.required_timeframes = d->required_timeframes;
        info.history_bars = d->history_bars;
        info.max_signal_values = d->max_signal_values;
        info.has_series = d->series != nullptr;
        descriptors.push_back(d);
        plugins.push_back(std::move(loaded.plugin));
      }
      all_loaded = all_loaded && loaded.ok;
      started.infos.push_back(std::move(info));
    }
    // A set with a refused plugin is only reported: the pool leaves that
    // trader out and starts again.
    if (all_loaded)
      started.runner = std::make_unique<in_process_generation>(
          context_, specs, std::move(plugins), std::move(descriptors));
    return started;
  }

  void reap_discarded() override {}
  unsigned worker_count_before_load() const override { return 1; }

 private:
  pool_context& context_;
};

}  // namespace

std::unique_ptr<pool_backend> make_in_process_backend(pool_context& context) {
  return std::make_unique<in_process_backend>(context);
}

}  // namespace vyx::runtime
