// Shared pieces of the sandbox tests: a small deterministic candle store,
// plugin paths, and pool options pointing at the built vyx-worker.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace vyx::test {

inline constexpr std::size_t symbol_count = 8;
inline constexpr std::uint32_t capacity = 64;

// 8 symbols SYM00..SYM07, 1m only, `bars` candles of a seeded random walk.
runtime::candle_store make_store(std::size_t bars);
// One more closed 1m candle per symbol (the next of the same walk).
void append_bar(runtime::candle_store& store, std::size_t bar_index);
std::int64_t close_time_of(std::size_t bar_index);

std::filesystem::path plugin(const std::string& name);  // e.g. "attack_spin", "control"
runtime::worker_pool_options pool_options(unsigned workers = 2);

// A tick's matches in a comparable form: trader id, symbol, then every value
// as its exact bit pattern.
struct flat_match {
  std::string trader, symbol;
  std::vector<std::pair<std::string, std::uint64_t>> values;
  bool operator==(const flat_match&) const = default;
};
std::vector<flat_match> flatten(const runtime::worker_pool& pool,
                                const runtime::candle_store& store, const runtime::tick_result& r,
                                const std::string& only_trader = "");

}  // namespace vyx::test
