// The pool's shared state and its fault charging (see pool_context.hpp).
#include "pool/pool_context.hpp"

#include <spdlog/spdlog.h>

namespace vyx::runtime {

pool_context::pool_context(const candle_store& s, worker_pool_options o)
    : store(s), options(std::move(o)), ledger(options.quarantine_faults, options.quarantine_window) {}

void pool_context::record_fault(const std::string& trader_id, std::size_t symbol, outcome what,
                                const std::string& reason, tick_result* result) {
  const std::string symbol_name =
      symbol < store.symbol_count() ? std::string(store.symbol(symbol)) : std::string();
  if (result) result->faults.push_back({trader_id, symbol_name, what, reason});
  spdlog::warn("trader {} faulted on {}: {} ({})", trader_id, symbol_name, to_string(what), reason);
  if (ledger.record_fault(trader_id, quarantine_ledger::clock::now(), what, reason, symbol_name))
    spdlog::error("trader {} {}", trader_id, ledger.status(trader_id).reason);
}

}  // namespace vyx::runtime
