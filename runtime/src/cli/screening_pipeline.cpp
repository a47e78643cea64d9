// Builds the feed → store → pool → scheduler → sinks chain of `vyx run` and `vyx backtest`.
#include "screening_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace vyx::cli {
using namespace vyx::runtime;

screening_pipeline::screening_pipeline(const pipeline_options& options) {
  open_market_source_(options);
  store_.emplace(make_store_for(*feed_, options.capacity));
  if (live_) live_->attach_store(*store_);
  worker_pool_options pool_options;
  pool_options.max_workers = options.max_workers;
  pool_options.deadline = options.deadline;
  pool_options.go_window_bars = options.go_window_bars;
  pool_.emplace(*store_, pool_options);
  scheduler_.emplace(*feed_, *store_, *pool_);
  series_.emplace(*pool_, *store_);
}

void screening_pipeline::open_market_source_(const pipeline_options& options) {
  if (options.live) {
    auto settings = live_feed_options(*options.live, std::max(options.capacity, 1u));
    live_ = std::make_unique<binance_feed>(std::move(settings));
  } else {
    replay_ = std::make_unique<replay_feed>(options.replay_path, options.replay);
  }
  runtime::feed& source = live_ ? static_cast<runtime::feed&>(*live_) : *replay_;
  if (!options.record_dir.empty())
    recorder_ = std::make_unique<recording_feed>(source, options.record_dir);
  feed_ = recorder_ ? static_cast<runtime::feed*>(recorder_.get()) : &source;
  // Signals for the history backfilled at start are not news: a live run
  // reports candles closing from its start on (a replay of its recording
  // gives the same ones there).
  signals_from_ = live_ && !options.live->history_signals ? live_->market_now() : 0;
  if (live_) spdlog::info("vyx run --live: signals for candles closing from {} on", signals_from_);
}

void screening_pipeline::add_sink(std::unique_ptr<signal_sink> sink) {
  sinks_.push_back(std::move(sink));
}

void screening_pipeline::write_signals(const tick_report& tick) {
  news_.clear();
  for (const auto& s : tick.signals) {
    if (s.close_time < signals_from_) continue;
    // A universe newcomer's backfilled history is not news either.
    if (live_ && signals_from_ > 0 && s.close_time < live_->joined_at(s.symbol)) continue;
    news_.push_back(&s);
  }
  const bool series_wanted = std::any_of(sinks_.begin(), sinks_.end(),
                                         [](const auto& sink) { return sink->wants_series(); });
  if (!series_wanted) {
    for (auto& sink : sinks_) sink->write_all(news_);
    return;
  }
  for (const trader_signal* s : news_) {
    trader_signal with_series = *s;
    series_->attach(with_series, scheduler_->indicator_ids(s->trader));
    for (auto& sink : sinks_) sink->write(sink->wants_series() ? with_series : *s);
  }
}

void screening_pipeline::write_statuses(const std::vector<trader_status>& statuses) {
  for (auto& sink : sinks_) sink->write_statuses(statuses);
}

void screening_pipeline::flush() {
  for (auto& sink : sinks_) sink->flush();
}

}  // namespace vyx::cli
