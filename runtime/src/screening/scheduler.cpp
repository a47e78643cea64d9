// The scheduler: feed -> store -> worker pool -> signals, one tick per close time.
#include "vyx/runtime/screening/scheduler.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <spdlog/spdlog.h>

namespace vyx::runtime {

candle_store make_store_for(const feed& source, std::uint32_t capacity) {
  candle_store_layout layout;
  layout.symbols = source.symbols();
  layout.timeframes = source.timeframes();
  layout.capacity = capacity;
  layout.symbol_capacity = source.symbol_capacity();
  return candle_store::create(layout);
}

scheduler::scheduler(feed& source, candle_store& store, worker_pool& pool)
    : source_(source), store_(store), pool_(pool), forming_(store) {}

void scheduler::request_reload(std::vector<trader_spec> traders) {
  std::lock_guard lock(mutex_);
  reload_ = std::move(traders);
}

void scheduler::apply_reload_() {
  std::optional<std::vector<trader_spec>> request;
  {
    std::lock_guard lock(mutex_);
    request.swap(reload_);
  }
  if (!request) return;
  indicator_ids_.clear();
  for (const auto& spec : *request)
    if (!spec.indicator_ids.empty()) indicator_ids_[spec.id] = spec.indicator_ids;
  auto report = pool_.load(*request);
  std::lock_guard lock(mutex_);
  last_load_ = std::move(report);
  ++generation_;
}

bool scheduler::step(tick_report& report) {
  report = tick_report{};
  closed_candle c;
  if (!lookahead_) {
    if (!source_.next(c)) return false;
    lookahead_ = c;
  }
  admit_symbols_();
  // Every candle closing at this moment, whatever its timeframe, belongs to this tick.
  const std::int64_t close_time = lookahead_->bar.close_time;
  vyx_timeframe_mask closed = 0;
  std::optional<closed_candle> pending = lookahead_;
  lookahead_.reset();
  delivered_.assign(store_.symbol_count(), 0);
  while (pending) {
    delivered_.resize(store_.symbol_count(), 0);  // symbols admitted while reading this tick
    if (pending->symbol_index < store_.symbol_count()) {  // else no slot for it (reported)
      delivered_[pending->symbol_index] |= 1u << pending->timeframe;
      store_.append(pending->symbol_index, pending->timeframe, pending->bar);
      if (pending->has_ticker) exchange_tickers_.emplace_back(pending->symbol_index, pending->ticker);
      forming_.closed(pending->symbol_index, pending->timeframe, pending->bar);
      closed |= 1u << pending->timeframe;
    }
    pending.reset();
    if (source_.batch_complete()) break;  // a live feed: the rest of this close is not coming yet
    if (source_.next(c)) {
      admit_symbols_();
      if (c.bar.close_time == close_time)
        pending = c;
      else
        lookahead_ = c;
    }
  }
  delivered_.resize(store_.symbol_count(), 0);
  // Forming candles of the coarser timeframes and the 24 h tickers, as of this close.
  forming_.end_tick();
  // The exchange's own 24 h ticker, where the feed has one, over the one derived from candles.
  for (const auto& [symbol, ticker] : exchange_tickers_) store_.set_ticker(symbol, ticker);
  exchange_tickers_.clear();

  apply_reload_();
  tick_result result = pool_.run_tick(tick_request{close_time, closed});
  auto ids = pool_.trader_ids();
  auto statuses = pool_.statuses();
  for (const auto& st : statuses) required_[st.id] = st.required_timeframes;

  report.close_time = close_time;
  report.closed = closed;
  report.signals = signals_for_(result, closed, ids);
  report.faults = std::move(result.faults);
  report.evaluations = result.evaluations;
  report.elapsed = result.elapsed;
  report.traders = ids;

  std::lock_guard lock(mutex_);
  report.tick = ++ticks_;
  report.generation = generation_;
  // Each evaluated trader's share of the tick time, weighted by symbols evaluated.
  std::vector<std::string> evaluated;
  for (const auto& id : ids) {
    auto it = required_.find(id);
    vyx_timeframe_mask need = it == required_.end() ? 0 : it->second;
    if (need == 0 || (need & closed)) evaluated.push_back(id);
  }
  for (const auto& id : evaluated) {
    totals_[id].time +=
        result.elapsed / static_cast<long>(std::max<std::size_t>(evaluated.size(), 1));
  }
  for (const auto& st : statuses)
    if (totals_.count(st.id) || st.evaluations) totals_[st.id].evaluations = st.evaluations;
  // One lookup per run of a trader's signals (they come in trader order), not
  // per signal: a tick may carry tens of thousands of them.
  for (auto run = report.signals.begin(); run != report.signals.end();) {
    const auto end = std::find_if(run, report.signals.end(),
                                  [&](const trader_signal& s) { return s.trader != run->trader; });
    totals_[run->trader].signals += static_cast<std::uint64_t>(end - run);
    run = end;
  }
  for (const auto& f : report.faults) ++totals_[f.trader_id].faults;
  return true;
}

void scheduler::admit_symbols_() {
  const auto& names = source_.symbols();
  // A slot the feed gave to another symbol (a newcomer in a leaver's slot):
  // the store's is renamed and emptied, and nothing derived carries over.
  if (const auto version = source_.symbols_version(); version != symbols_version_) {
    symbols_version_ = version;
    for (std::size_t i = 0; i < std::min(names.size(), store_.symbol_count()); ++i)
      if (store_.symbol(i) != names[i]) {
        store_.reuse_symbol(i, names[i]);
        forming_.forget(static_cast<std::uint32_t>(i));
      }
  }
  // Symbols the feed added (a live universe's newcomers) take the store's
  // reserved slots in the feed's order, so feed and store indices agree.
  while (store_.symbol_count() < names.size()) {
    if (store_.symbol_count() == store_.symbol_capacity()) {
      // A store laid out without the feed's reserve (make_store_for on a
      // wrapper that does not forward symbol_capacity): said once, then the
      // newcomers' candles are skipped rather than the run stopped.
      if (!store_full_reported_)
        spdlog::error("scheduler: {} symbols from the feed, the store has slots for {}; the rest are not screened",
                      names.size(), store_.symbol_capacity());
      store_full_reported_ = true;
      return;
    }
    store_.add_symbol(names[store_.symbol_count()]);
  }
}

std::vector<trader_signal> scheduler::signals_for_(tick_result& result, vyx_timeframe_mask closed,
                                                   const std::vector<std::string>& ids) {
  std::vector<trader_signal> signals;
  if (result.matches.empty()) return signals;
  // Per trader of this generation, looked up once per tick rather than per
  // match (a tick of 100 traders x 500 symbols may match 25,000 times): the
  // timeframe its signals belong to and its candles already signalled.
  struct trader_state {
    vyx_timeframe timeframe = 0;
    last_signal_by_symbol* last = nullptr;
  };
  std::vector<trader_state> traders(ids.size());
  vyx_timeframe_mask signal_timeframes = 0;
  for (std::size_t t = 0; t < ids.size(); ++t) {
    auto req = required_.find(ids[t]);
    vyx_timeframe_mask need =
        (req == required_.end() || req->second == 0) ? closed : (req->second & closed);
    if (need == 0) need = closed;
    // A signal belongs to the finest timeframe that closed for this trader.
    traders[t].timeframe = static_cast<vyx_timeframe>(std::countr_zero(need));
    traders[t].last = &last_signal_[ids[t]];
    signal_timeframes |= 1u << traders[t].timeframe;
  }
  // Per slot, once: its symbol's key and its newest candle of each timeframe
  // a signal may go to.
  const std::size_t slots = store_.symbol_count();
  slot_keys_.resize(slots);
  for (std::size_t i = 0; i < slots; ++i) {
    const std::string_view name = store_.symbol(i);
    auto key = symbol_keys_.find(name);
    if (key == symbol_keys_.end())
      key = symbol_keys_.emplace(std::string(name), static_cast<std::uint32_t>(symbol_keys_.size()))
                .first;
    slot_keys_[i] = key->second;
  }
  for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
    if (!(signal_timeframes & (1u << tf))) continue;
    newest_[tf].assign(slots, newest_candle{});
    for (std::size_t i = 0; i < slots; ++i) {
      // Only a symbol whose candle of that timeframe is in this tick signals:
      // a live feed's follow-up tick for late candles re-screens the others
      // against the same closes, and those must not signal differently.
      if (i >= delivered_.size() || !(delivered_[i] & (1u << tf))) continue;
      const vyx_candles v = store_.view(i, tf);
      if (v.count == 0) continue;
      newest_[tf][i] = {v.close_time[v.count - 1], v.close[v.count - 1], true};
    }
  }
  signals.reserve(result.matches.size());
  for (auto& m : result.matches) {
    if (m.trader_index >= ids.size() || m.symbol_index >= slots) continue;
    const trader_state& trader = traders[m.trader_index];
    const vyx_timeframe tf = trader.timeframe;
    const newest_candle& candle = newest_[tf][m.symbol_index];
    if (!candle.present) continue;
    const std::uint32_t key = slot_keys_[m.symbol_index];
    if (key >= trader.last->size()) {
      std::array<std::int64_t, VYX_TIMEFRAME_COUNT> none;
      none.fill(std::numeric_limits<std::int64_t>::min());
      trader.last->resize(symbol_keys_.size(), none);
    }
    std::int64_t& last = (*trader.last)[key][tf];
    if (last >= candle.close_time) continue;  // this candle already signalled
    last = candle.close_time;
    trader_signal s;
    s.trader = ids[m.trader_index];
    s.symbol = std::string(store_.symbol(m.symbol_index));
    s.timeframe = tf;
    s.close_time = candle.close_time;
    s.price = candle.close;
    s.values = std::move(m.values);  // the match is spent: no copy of its values per signal
    signals.push_back(std::move(s));
  }
  return signals;
}

void scheduler::run(const std::function<void(const tick_report&)>& on_tick) {
  tick_report report;
  while (step(report))
    if (on_tick) on_tick(report);
}

std::map<std::string, trader_totals> scheduler::totals() const {
  std::lock_guard lock(mutex_);
  auto out = totals_;
  return out;
}

const std::vector<std::string>& scheduler::indicator_ids(const std::string& trader) const {
  static const std::vector<std::string> none;
  auto it = indicator_ids_.find(trader);
  return it == indicator_ids_.end() ? none : it->second;
}

std::uint64_t scheduler::ticks() const {
  std::lock_guard lock(mutex_);
  return ticks_;
}

std::optional<load_report> scheduler::last_load() const {
  std::lock_guard lock(mutex_);
  return last_load_;
}

}  // namespace vyx::runtime
