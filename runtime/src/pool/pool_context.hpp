// What every part of the worker pool shares: the market it evaluates, its
// options, the traders' ledger and the metrics, and the one way a fault is
// charged to a trader.
#pragma once

#include <cstddef>
#include <string>

#include "pool/quarantine_ledger.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::runtime {

struct pool_context {
  pool_context(const candle_store& store, worker_pool_options options);

  // Reports the fault in *result (if given), logs it and charges it to the
  // trader, which it may quarantine. `symbol` is an index into the store; one
  // past the end means the fault is the trader's, on no symbol in particular.
  void record_fault(const std::string& trader_id, std::size_t symbol, outcome what,
                    const std::string& reason, tick_result* result);

  const candle_store& store;
  const worker_pool_options options;
  quarantine_ledger ledger;
  worker_pool_metrics metrics;
};

}  // namespace vyx::runtime
