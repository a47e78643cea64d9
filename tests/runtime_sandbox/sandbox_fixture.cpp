// The sandbox tests' shared store, plugins and helpers (see sandbox_fixture.hpp).
#include <doctest/doctest.h>

#include "sandbox_fixture.hpp"

#include <cmath>
#include <cstring>

namespace vyx::test {
namespace {

constexpr std::int64_t start_ms = 1'700'000'040'000 - (1'700'000'040'000 % 60'000);

runtime::candle bar_of(std::size_t symbol, std::size_t i) {
  // A deterministic walk per symbol: no randomness source, same bits every run.
  const double base = 100.0 + 10.0 * static_cast<double>(symbol);
  const double t = static_cast<double>(i);
  const double close = base + 5.0 * std::sin(t * 0.17 + static_cast<double>(symbol)) + 0.01 * t;
  runtime::candle c;
  c.open_time = start_ms + static_cast<std::int64_t>(i) * 60'000;
  c.close_time = c.open_time + 59'999;
  c.open = close - 0.3 * std::cos(t);
  c.high = std::max(c.open, close) + 0.5;
  c.low = std::min(c.open, close) - 0.5;
  c.close = close;
  c.volume = 1000 + 100 * std::sin(t * 0.3);
  c.quote_volume = c.volume * close;
  c.taker_buy_base_volume = c.volume / 2;
  c.trades = 10 + static_cast<std::int64_t>(i % 7);
  return c;
}

}  // namespace

std::int64_t close_time_of(std::size_t i) {
  return start_ms + static_cast<std::int64_t>(i) * 60'000 + 59'999;
}

runtime::candle_store make_store(std::size_t bars) {
  runtime::candle_store_layout layout;
  for (std::size_t s = 0; s < symbol_count; ++s)
    layout.symbols.push_back("SYM0" + std::to_string(s));
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = capacity;
  auto store = runtime::candle_store::create(layout);
  for (std::size_t i = 0; i < bars; ++i) append_bar(store, i);
  return store;
}

void append_bar(runtime::candle_store& store, std::size_t i) {
  for (std::size_t s = 0; s < store.symbol_count(); ++s) store.append(s, VYX_TF_1M, bar_of(s, i));
}

std::filesystem::path plugin(const std::string& name) {
  return std::filesystem::path(VYX_SANDBOX_PLUGIN_DIR) / (name + ".so");
}

runtime::worker_pool_options pool_options(unsigned workers) {
  runtime::worker_pool_options o;
  o.min_workers = workers;
  o.max_workers = workers;
  o.worker_executable = VYX_TEST_WORKER;
  // Small enough that the allocation attack hits it well within the deadline.
  o.address_space_limit = 256ull << 20;
  // These plugins bypass the compiler on purpose and would fail the ELF
  // audit: the layers under it (seccomp, Landlock, W^X, the watchdog) must
  // hold on their own. tests/attacks/ runs with the audit on.
  o.audit_plugins = false;
  return o;
}

std::vector<flat_match> flatten(const runtime::worker_pool& pool,
                                const runtime::candle_store& store, const runtime::tick_result& r,
                                const std::string& only_trader) {
  const auto ids = pool.trader_ids();
  std::vector<flat_match> out;
  for (const auto& m : r.matches) {
    if (!only_trader.empty() && ids.at(m.trader_index) != only_trader) continue;
    flat_match f{ids.at(m.trader_index), std::string(store.symbol(m.symbol_index)), {}};
    for (const auto& v : m.values) {
      std::uint64_t bits;
      std::memcpy(&bits, &v.value, sizeof bits);
      f.values.emplace_back(v.name, bits);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace vyx::test
