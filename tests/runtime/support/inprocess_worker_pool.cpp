// A plain in-process worker_pool for the runtime's data-path tests while the
// sandboxed pool is not there: dlopen, call filter, no isolation at all.
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>

#include "vyx/runtime/worker_pool.hpp"

namespace vyx::runtime {

const char* to_string(outcome o) {
  switch (o) {
    case outcome::ok:
      return "ok";
    case outcome::violation:
      return "violation";
    case outcome::signaled:
      return "signaled";
    case outcome::timeout:
      return "timeout";
    case outcome::killed:
      return "killed";
    case outcome::internal_error:
      return "internal_error";
  }
  return "unknown";
}

namespace {

struct loaded_plugin {
  void* handle = nullptr;
  const vyx_plugin* plugin = nullptr;
  ~loaded_plugin() {
    if (handle != nullptr) dlclose(handle);
  }
};

struct trader_slot {
  trader_spec spec;
  std::shared_ptr<loaded_plugin> plugin;
};

vyx_status no_indicator(void*, const vyx_indicator_request*, vyx_indicator_result*) {
  return VYX_ERR_UNSUPPORTED;
}
const vyx_host_api host_api{sizeof(vyx_host_api), VYX_ABI_VERSION, &no_indicator};

}  // namespace

struct worker_pool::impl {
  const candle_store& store;
  worker_pool_options options;
  std::vector<trader_slot> current, pending;
  bool has_pending = false;
  std::map<std::string, trader_status> status;

  impl(const candle_store& s, worker_pool_options o) : store(s), options(o) {}

  vyx_market market_for(std::size_t symbol, std::int64_t now,
                        vyx_candles (&views)[VYX_TIMEFRAME_COUNT]) const {
    vyx_market m{};
    m.struct_size = sizeof(vyx_market);
    m.symbol = store.symbol_c_str(symbol);
    m.now_ms = now;
    m.ticker = store.ticker(symbol);
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      if (!(store.timeframes() & (1u << tf))) continue;
      views[tf] = store.view(symbol, tf);
      m.timeframes[tf] = &views[tf];
    }
    m.host = &host_api;
    return m;
  }
};

worker_pool::worker_pool(const candle_store& store, worker_pool_options options)
    : impl_(new impl(store, options)) {}
worker_pool::~worker_pool() {
  delete impl_;
}

load_report worker_pool::load(const std::vector<trader_spec>& traders) {
  load_report report;
  std::vector<trader_slot> next;
  const auto& base = impl_->has_pending ? impl_->pending : impl_->current;
  for (const auto& spec : traders) {
    auto p = std::make_shared<loaded_plugin>();
    std::string error;
    p->handle = dlopen(spec.plugin_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (p->handle == nullptr) {
      error = dlerror();
    } else if (auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(p->handle, VYX_ENTRY_SYMBOL));
               !entry) {
      error = "no " VYX_ENTRY_SYMBOL " symbol";
    } else {
      p->plugin = entry();
      if (p->plugin->abi_version != VYX_ABI_VERSION || p->plugin->struct_size < sizeof(vyx_plugin))
        error = "ABI version " + std::to_string(p->plugin->abi_version) + " (runtime has " +
                std::to_string(VYX_ABI_VERSION) + ")";
    }
    auto& st = impl_->status[spec.id];
    st.id = spec.id;
    if (!error.empty()) {
      report.failed.emplace_back(spec.id, error);
      st.reason = error;
      // The previous version keeps running.
      auto old = std::find_if(base.begin(), base.end(),
                              [&](const trader_slot& s) { return s.spec.id == spec.id; });
      if (old != base.end()) next.push_back(*old);
      continue;
    }
    report.loaded.push_back(spec.id);
    st.loaded = true;
    st.enabled = spec.enabled;
    st.reason.clear();
    st.required_timeframes = p->plugin->required_timeframes;
    st.history_bars = p->plugin->history_bars;
    next.push_back(trader_slot{spec, p});
  }
  for (auto it = impl_->status.begin(); it != impl_->status.end();) {
    bool present = std::any_of(next.begin(), next.end(),
                               [&](const trader_slot& s) { return s.spec.id == it->first; });
    bool failed = std::any_of(report.failed.begin(), report.failed.end(),
                              [&](auto& f) { return f.first == it->first; });
    it = (present || failed) ? std::next(it) : impl_->status.erase(it);
  }
  impl_->pending = std::move(next);
  impl_->has_pending = true;
  return report;
}

tick_result worker_pool::run_tick(const tick_request& request) {
  auto started = std::chrono::steady_clock::now();
  if (impl_->has_pending) {
    impl_->current = std::move(impl_->pending);
    impl_->pending.clear();
    impl_->has_pending = false;
  }
  tick_result result;
  for (std::uint32_t t = 0; t < impl_->current.size(); ++t) {
    const auto& slot = impl_->current[t];
    const vyx_plugin* plugin = slot.plugin->plugin;
    auto& st = impl_->status[slot.spec.id];
    if (!slot.spec.enabled || st.quarantined || !(plugin->required_timeframes & request.closed))
      continue;
    for (std::uint32_t s = 0; s < impl_->store.symbol_count(); ++s) {
      vyx_candles views[VYX_TIMEFRAME_COUNT]{};
      vyx_market market = impl_->market_for(s, request.now_ms, views);
      std::vector<vyx_signal_value> values(std::max<std::uint32_t>(plugin->max_signal_values, 1));
      vyx_filter_output out{sizeof(vyx_filter_output), 0, static_cast<std::uint32_t>(values.size()),
                            0, values.data()};
      vyx_status status = plugin->filter(&market, &out);
      ++result.evaluations;
      ++st.evaluations;
      if (status != VYX_OK) {
        if (status == VYX_ERR_NOT_ENOUGH_DATA || status == VYX_ERR_NO_TIMEFRAME) continue;
        ++st.faults;
        result.faults.push_back(fault{slot.spec.id, std::string(impl_->store.symbol(s)),
                                      outcome::internal_error,
                                      "filter returned status " + std::to_string(status)});
        continue;
      }
      if (!out.matched) continue;
      match m{t, s, {}};
      for (std::uint32_t k = 0; k < std::min(out.value_count, out.value_capacity); ++k)
        m.values.push_back(
            signal_value{std::string(values[k].name, strnlen(values[k].name, VYX_NAME_CAPACITY)),
                         values[k].value});
      ++st.matches;
      result.matches.push_back(std::move(m));
    }
  }
  result.elapsed = std::chrono::steady_clock::now() - started;
  return result;
}

plot_result worker_pool::run_series(const std::string& trader_id, std::size_t symbol_index) {
  plot_result result;
  const auto& gen = impl_->has_pending ? impl_->pending : impl_->current;
  auto it = std::find_if(gen.begin(), gen.end(),
                         [&](const trader_slot& s) { return s.spec.id == trader_id; });
  if (it == gen.end()) {
    result.error = "unknown trader " + trader_id;
    return result;
  }
  const vyx_plugin* plugin = it->plugin->plugin;
  if (plugin->series == nullptr) return result;
  vyx_candles views[VYX_TIMEFRAME_COUNT]{};
  std::int64_t now = 0;
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    auto v = impl_->store.view(symbol_index, tf);
    if (v.count > 0) now = std::max(now, v.close_time[v.count - 1]);
  }
  vyx_market market = impl_->market_for(symbol_index, now, views);
  std::vector<vyx_plot_series> series(16);
  std::vector<double> pool(16 * std::size_t{impl_->store.capacity()});
  vyx_plot_output out{sizeof(vyx_plot_output), 16,          0,           0,
                      series.data(),           pool.data(), pool.size(), 0};
  vyx_status status = plugin->series(&market, &out);
  if (status != VYX_OK) {
    result.error = "series returned status " + std::to_string(status);
    return result;
  }
  for (std::uint32_t k = 0; k < std::min<std::uint32_t>(out.series_count, 16); ++k) {
    const auto& s = series[k];
    if (s.offset + s.length > pool.size()) continue;
    decltype(result.series)::value_type r;
    r.name.assign(s.name, strnlen(s.name, VYX_NAME_CAPACITY));
    r.kind = s.kind;
    r.timeframe = s.timeframe;
    r.panel = s.panel != 0;
    r.values.assign(pool.begin() + static_cast<std::ptrdiff_t>(s.offset),
                    pool.begin() + static_cast<std::ptrdiff_t>(s.offset + s.length));
    result.series.push_back(std::move(r));
  }
  return result;
}

std::vector<trader_status> worker_pool::statuses() const {
  std::vector<trader_status> out;
  for (const auto& [id, st] : impl_->status) out.push_back(st);
  return out;
}

std::vector<std::string> worker_pool::trader_ids() const {
  std::vector<std::string> ids;
  for (const auto& s : impl_->current) ids.push_back(s.spec.id);
  return ids;
}

unsigned worker_pool::worker_count() const {
  return 1;
}

}  // namespace vyx::runtime
