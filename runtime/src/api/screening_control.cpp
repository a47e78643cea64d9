// The machine API's control of a running screening. All state is behind one
// mutex; the pool is touched only by the screening thread (serve_pending).
#include "vyx/runtime/api/screening_control.hpp"

#include <bit>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

#include "vyx/common/json_writer.hpp"
#include "vyx/runtime/api/event_stream.hpp"
#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime::api {
namespace {

constexpr std::size_t max_waiting = 2;  // execute-immediate requests queued at once

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct immediate_request {
  std::string id;
  std::promise<std::pair<control_outcome, immediate_result>> done;
  std::string error;
};

// What the API remembers of a trader beyond the pool's status.
struct api_record {
  std::int64_t started_at = 0, stopped_at = 0, last_run_at = 0;
  std::uint64_t evaluations = 0;
  bool start_pending = false;  // started through the API, not yet running
};

}  // namespace

struct screening_control::impl {
  std::string owner;
  screening_hooks hooks;
  std::chrono::milliseconds execute_wait;
  std::mutex mutex;
  std::condition_variable queued;
  std::vector<trader_spec> specs;  // the run's set as last requested, before stops
  std::set<std::string> stopped;   // stopped through the API
  std::map<std::string, trader_status> statuses;
  std::map<std::string, trader_totals> totals;
  std::map<std::string, api_record> records;
  std::deque<std::shared_ptr<immediate_request>> waiting;
  bool closed = false;
  event_stream* stream = nullptr;
  std::map<std::string, std::string> streamed_state;  // the state last sent per trader

  // The set with the API's stops applied; under the mutex.
  std::vector<trader_spec> effective_specs() const {
    auto out = specs;
    for (auto& spec : out)
      if (stopped.count(spec.id)) spec.enabled = false;
    return out;
  }

  const trader_spec* spec_of(const std::string& id) const {
    for (const auto& spec : specs)
      if (spec.id == id) return &spec;
    return nullptr;
  }

  trader_view view_of(const trader_spec& spec) const {
    trader_view v;
    v.id = v.name = spec.id;
    v.user_id = owner;
    auto record_it = records.find(spec.id);
    const api_record record = record_it == records.end() ? api_record{} : record_it->second;
    auto status_it = statuses.find(spec.id);
    const bool api_stopped = stopped.count(spec.id) > 0;
    if (status_it == statuses.end()) {
      v.state = api_stopped || !spec.enabled ? "stopped" : "starting";
    } else {
      const trader_status& s = status_it->second;
      // Stopped at once: from the next tick it is not evaluated.
      if (api_stopped || !spec.enabled)
        v.state = "stopped";
      else if (!s.enabled && record.start_pending)
        v.state = "starting";
      else if (!s.loaded || s.quarantined) {
        v.state = "error";
        v.last_error = s.reason.empty() ? (s.quarantined ? "quarantined" : "not loaded") : s.reason;
      } else {
        v.state = "running";
      }
    }
    v.started_at_ms = record.started_at;
    v.stopped_at_ms = record.stopped_at;
    v.last_run_at_ms = record.last_run_at;
    if (auto t = totals.find(spec.id); t != totals.end()) v.signal_count = t->second.signals;
    return v;
  }
};

screening_control::screening_control(std::string owner, screening_hooks hooks,
                                     std::chrono::milliseconds execute_wait)
    : impl_(std::make_unique<impl>()) {
  impl_->owner = std::move(owner);
  impl_->hooks = std::move(hooks);
  impl_->execute_wait = execute_wait;
}

screening_control::~screening_control() {
  close();
}

void screening_control::request_reload(std::vector<trader_spec> specs) {
  std::vector<trader_spec> effective;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->specs = std::move(specs);
    effective = impl_->effective_specs();
  }
  impl_->hooks.request_reload(std::move(effective));
}

void screening_control::publish(const std::vector<trader_status>& statuses,
                                const std::map<std::string, trader_totals>& totals) {
  std::vector<std::pair<const char*, std::string>> events;  // published once unlocked
  std::unique_lock lock(impl_->mutex);
  const auto now = wall_ms();
  for (const auto& s : statuses) {
    auto& record = impl_->records[s.id];
    const bool running = s.enabled && s.loaded && !s.quarantined;
    if (running && record.started_at == 0) record.started_at = now;
    if (running) record.start_pending = false;
    if (!s.enabled && record.started_at != 0) {
      record.started_at = 0;
      record.stopped_at = now;
    }
    if (s.evaluations != record.evaluations) {
      record.evaluations = s.evaluations;
      record.last_run_at = now;
    }
    if (impl_->stream && s.faults > impl_->statuses[s.id].faults) {
      common::json_writer out;
      out.begin_object().key("trader").value(s.id).key("faults").value(s.faults);
      out.key("new_faults").value(s.faults - impl_->statuses[s.id].faults);
      if (!s.reason.empty()) out.key("reason").value(s.reason);
      out.end_object();
      events.emplace_back("error", out.take());
    }
    impl_->statuses[s.id] = s;
  }
  impl_->totals = totals;
  if (impl_->stream) {
    for (const auto& spec : impl_->specs) {
      const trader_view v = impl_->view_of(spec);
      auto& last = impl_->streamed_state[spec.id];
      if (last == v.state) continue;
      last = v.state;
      common::json_writer out;
      out.begin_object().key("trader").value(v.id).key("state").value(v.state);
      if (!v.last_error.empty()) out.key("last_error").value(v.last_error);
      out.end_object();
      events.emplace_back("status", out.take());
    }
  }
  event_stream* stream = impl_->stream;
  lock.unlock();
  for (const auto& [type, data] : events) stream->publish(type, data);
}

void screening_control::attach_stream(event_stream* stream) {
  std::lock_guard lock(impl_->mutex);
  impl_->stream = stream;
}

void screening_control::serve_pending(worker_pool& pool, const candle_store& store,
                                      std::int64_t close_ms) {
  for (;;) {
    std::shared_ptr<immediate_request> request;
    {
      std::lock_guard lock(impl_->mutex);
      if (impl_->waiting.empty()) return;
      request = impl_->waiting.front();
      impl_->waiting.pop_front();
    }
    const auto ids = pool.trader_ids();
    std::uint32_t index = 0;
    while (index < ids.size() && ids[index] != request->id) ++index;
    vyx_timeframe_mask need = 0;
    bool runnable = false;
    for (const auto& s : pool.statuses())
      if (s.id == request->id) {
        need = s.required_timeframes;
        runnable = s.enabled && s.loaded && !s.quarantined;
      }
    immediate_result result;
    if (index == ids.size() || !runnable || close_ms == 0) {
      request->error = close_ms == 0 ? "no market data yet" : "trader is not running";
      request->done.set_value({control_outcome::conflict, std::move(result)});
      continue;
    }
    if (need == 0) need = store.timeframes();
    need &= store.timeframes();
    const auto started = std::chrono::steady_clock::now();
    // Every trader needing these timeframes runs; only this one's matches are kept.
    const tick_result tick = pool.run_tick(tick_request{close_ms, need});
    const auto tf = static_cast<vyx_timeframe>(std::countr_zero(need ? need : 1u));
    for (const auto& m : tick.matches) {
      if (m.trader_index != index || m.symbol_index >= store.symbol_count()) continue;
      immediate_signal s;
      s.symbol = std::string(store.symbol(m.symbol_index));
      s.interval = timeframe_name(tf);
      const vyx_candles v = store.view(m.symbol_index, tf);
      if (v.count > 0) {
        s.timestamp_ms = v.close_time[v.count - 1];
        s.price = v.close[v.count - 1];
      }
      result.signals.push_back(std::move(s));
    }
    result.timestamp_ms = wall_ms();
    result.total_symbols = store.symbol_count();
    result.execution_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    request->done.set_value({control_outcome::done, std::move(result)});
  }
}

void screening_control::serve_for(std::chrono::milliseconds wait, worker_pool& pool,
                                  const candle_store& store, std::int64_t close_ms) {
  {
    std::unique_lock lock(impl_->mutex);
    impl_->queued.wait_for(lock, wait, [&] { return !impl_->waiting.empty() || impl_->closed; });
  }
  serve_pending(pool, store, close_ms);
}

void screening_control::close() {
  std::deque<std::shared_ptr<immediate_request>> left;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->closed = true;
    left.swap(impl_->waiting);
  }
  impl_->queued.notify_all();
  for (auto& request : left) {
    request->error = "shutting down";
    request->done.set_value({control_outcome::busy, {}});
  }
}

std::vector<trader_view> screening_control::traders() {
  std::lock_guard lock(impl_->mutex);
  std::vector<trader_view> out;
  for (const auto& spec : impl_->specs) out.push_back(impl_->view_of(spec));
  return out;
}

std::optional<trader_view> screening_control::trader(const std::string& id) {
  std::lock_guard lock(impl_->mutex);
  if (const trader_spec* spec = impl_->spec_of(id)) return impl_->view_of(*spec);
  return std::nullopt;
}

control_outcome screening_control::start(const std::string& id, std::string& error) {
  std::vector<trader_spec> effective;
  {
    std::lock_guard lock(impl_->mutex);
    const trader_spec* spec = impl_->spec_of(id);
    if (!spec) return control_outcome::unknown_trader;
    if (!spec->enabled) {
      error = "the trader is disabled where it comes from (its .disabled file or record)";
      return control_outcome::conflict;
    }
    if (!impl_->stopped.erase(id)) return control_outcome::done;  // running already
    impl_->records[id].start_pending = true;
    effective = impl_->effective_specs();
  }
  impl_->hooks.request_reload(std::move(effective));
  return control_outcome::done;
}

control_outcome screening_control::stop(const std::string& id, std::string&) {
  std::vector<trader_spec> effective;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->spec_of(id)) return control_outcome::unknown_trader;
    if (!impl_->stopped.insert(id).second) return control_outcome::done;  // stopped already
    impl_->records[id].start_pending = false;
    effective = impl_->effective_specs();
  }
  impl_->hooks.request_reload(std::move(effective));
  return control_outcome::done;
}

control_outcome screening_control::reload(const std::string& id, std::string&) {
  std::vector<trader_spec> effective;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->spec_of(id)) return control_outcome::unknown_trader;
    if (impl_->hooks.rescan) {
      // Outside the lock: the rescan calls request_reload.
    } else {
      effective = impl_->effective_specs();
    }
  }
  if (impl_->hooks.rescan)
    impl_->hooks.rescan();
  else
    impl_->hooks.request_reload(std::move(effective));
  return control_outcome::done;
}

control_outcome screening_control::execute_immediate(const std::string& id,
                                                     immediate_result& result, std::string& error) {
  auto request = std::make_shared<immediate_request>();
  request->id = id;
  auto future = request->done.get_future();
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->spec_of(id)) return control_outcome::unknown_trader;
    if (impl_->closed) {
      error = "shutting down";
      return control_outcome::busy;
    }
    if (impl_->waiting.size() >= max_waiting) {
      error = "another immediate execution is waiting";
      return control_outcome::busy;
    }
    impl_->waiting.push_back(request);
  }
  impl_->queued.notify_all();
  if (future.wait_for(impl_->execute_wait) != std::future_status::ready) {
    // Still queued: withdrawn, so the screening thread does not run it for nobody.
    std::lock_guard lock(impl_->mutex);
    auto& waiting = impl_->waiting;
    for (auto it = waiting.begin(); it != waiting.end(); ++it)
      if (*it == request) {
        waiting.erase(it);
        error = "the screening did not reach a tick boundary in time";
        return control_outcome::busy;
      }
  }
  auto [outcome, answer] = future.get();  // it is running or done: wait for it
  error = request->error;
  result = std::move(answer);
  return outcome;
}

}  // namespace vyx::runtime::api
