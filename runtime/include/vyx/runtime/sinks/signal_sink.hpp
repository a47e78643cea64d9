// Where signals go (spdlog's sink shape): public methods lock and call the
// protected hooks, so a sink is only its hooks and fits in one screen.
#pragma once

#include <mutex>
#include <span>
#include <vector>

#include "vyx/runtime/screening/trader_signal.hpp"
#include "vyx/runtime/pool/trader_status.hpp"

namespace vyx::runtime {

class signal_sink {
 public:
  virtual ~signal_sink() = default;

  void write(const trader_signal& signal) {
    std::lock_guard lock(mutex_);
    sink_it_(signal);
  }
  // A tick's signals at once, in order: a sink may format them in parallel.
  void write_all(std::span<const trader_signal* const> signals) {
    std::lock_guard lock(mutex_);
    write_all_(signals);
  }
  // The whole current set of trader statuses (replaces what was there).
  void write_statuses(const std::vector<trader_status>& statuses) {
    std::lock_guard lock(mutex_);
    statuses_it_(statuses);
  }
  void flush() {
    std::lock_guard lock(mutex_);
    flush_();
  }
  // Whether signals should carry the trader's chart series: one more
  // evaluation per signal, so only for a sink that stores them.
  virtual bool wants_series() const { return false; }

 protected:
  virtual void sink_it_(const trader_signal& signal) = 0;
  virtual void write_all_(std::span<const trader_signal* const> signals) {
    for (const trader_signal* s : signals) sink_it_(*s);
  }
  virtual void statuses_it_(const std::vector<trader_status>&) {}
  virtual void flush_() {}

  std::mutex mutex_;
};

}  // namespace vyx::runtime
