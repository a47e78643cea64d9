// peer-signals-check: runs our trader plugins through the worker pool on the
// peers' dataset, live-style (append bar b of every timeframe, then evaluate:
// the peers' offset B-1-b), and counts where the booleans differ from the
// peers' verify output, with and without their 2-decimal RSI rounding.
//
//   peer-signals-check --data DATASET --reference VERIFY_REF [--unrounded VERIFY_REF_UNROUNDED]
//                      --trader ID=PLUGIN.so ... [--offsets N] [--workers N] [--in-process]
//                      [--signals-out FILE] [--list N]
// --offsets defaults to B - 201: the cut-offs where every peer trader has its minimum history.
// Exit status 1 on any fault or error; disagreements are reported, not failures.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "compare_signals.hpp"
#include "peer_dataset.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/market/timeframe.hpp"
#include "vyx/runtime/pool/worker_pool.hpp"

namespace {

using namespace vyx::bench::peers;
namespace rt = vyx::runtime;

struct options {
  std::string data, reference, unrounded, signals_out;
  std::vector<rt::trader_spec> traders;
  std::size_t offsets = 0, list = 20;  // 0: every bar with T2's 201-bar minimum history
  unsigned workers = 2;
  bool sandbox = true;
};

options parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--in-process") {
      o.sandbox = false;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument("missing value for " + a);
    const std::string v = argv[++i];
    if (a == "--data")
      o.data = v;
    else if (a == "--reference")
      o.reference = v;
    else if (a == "--unrounded")
      o.unrounded = v;
    else if (a == "--signals-out")
      o.signals_out = v;
    else if (a == "--offsets")
      o.offsets = std::stoul(v);
    else if (a == "--workers")
      o.workers = static_cast<unsigned>(std::stoul(v));
    else if (a == "--list")
      o.list = std::stoul(v);
    else if (a == "--trader" && v.find('=') != std::string::npos)
      o.traders.push_back({v.substr(0, v.find('=')), v.substr(v.find('=') + 1), true});
    else
      throw std::invalid_argument("bad argument " + a);
  }
  if (o.data.empty() || o.reference.empty() || o.traders.empty())
    throw std::invalid_argument("--data, --reference and at least one --trader are required");
  return o;
}

rt::candle to_candle(const candle_columns& c, std::size_t b) {
  rt::candle out;
  out.open_time = c.open_time[b];
  out.close_time = c.close_time[b];
  out.open = c.open[b];
  out.high = c.high[b];
  out.low = c.low[b];
  out.close = c.close[b];
  out.volume = c.volume[b];
  out.quote_volume = c.quote_volume[b];
  out.taker_buy_base_volume = c.taker_buy_base_volume[b];
  out.trades = c.trades[b];
  return out;
}

int run(const options& o) {
  std::string error;
  auto data = read_peer_dataset(o.data, error);
  if (!data) throw std::runtime_error(error);
  // The peers' traders answer false below a fixed history (T2 201 bars, T4 70, T3 50);
  // ours evaluate as soon as their indicators exist, so compare where all have enough.
  const std::size_t offsets = o.offsets != 0 ? o.offsets : data->bars > 201 ? data->bars - 201 : 0;
  if (offsets == 0 || offsets >= data->bars)
    throw std::invalid_argument("--offsets must be in 1 .. bars - 1");

  std::vector<vyx_timeframe> timeframes;
  rt::candle_store_layout layout;
  layout.symbols = data->symbols;
  for (const auto& name : data->timeframes) {
    auto tf = rt::parse_timeframe(name);
    if (!tf) throw std::runtime_error("unknown timeframe " + name);
    timeframes.push_back(*tf);
    layout.timeframes |= 1u << *tf;
  }
  // The whole history stays in the rings: recursive indicators start at bar 0, as the peers' do.
  layout.capacity = static_cast<std::uint32_t>(data->bars);
  auto store = rt::candle_store::create(layout);
  auto append = [&](std::size_t b) {
    for (std::size_t s = 0; s < data->symbols.size(); ++s)
      for (std::size_t t = 0; t < timeframes.size(); ++t)
        store.append(s, timeframes[t], to_candle(data->at(s, t), b));
  };
  const std::size_t first = data->bars - offsets;  // evaluated bars: first .. bars - 1
  for (std::size_t b = 0; b < first; ++b) append(b);

  rt::worker_pool_options pool_options;
  pool_options.sandbox = o.sandbox;
  pool_options.min_workers = pool_options.max_workers = o.workers;
  rt::worker_pool pool(store, pool_options);
  const auto report = pool.load(o.traders);
  for (const auto& [id, why] : report.failed)
    throw std::runtime_error("load failed: " + id + ": " + why);

  signal_grid ours(data->symbols.size(), offsets);
  for (const auto& t : o.traders)
    ours.set(t.id, 0, 0, false);  // every trader listed, even with no signal
  std::size_t faults = 0;
  for (std::size_t b = first; b < data->bars; ++b) {
    append(b);
    const auto result = pool.run_tick({data->at(0, 0).close_time[b], layout.timeframes});
    const auto ids = pool.trader_ids();
    for (const auto& m : result.matches)
      ours.set(ids.at(m.trader_index), m.symbol_index, offset_of_bar(*data, b));
    for (const auto& f : result.faults) {
      if (faults++ < 10)
        std::fprintf(stderr, "fault: %s %s %s: %s\n", f.trader_id.c_str(), f.symbol.c_str(),
                     rt::to_string(f.what), f.reason.c_str());
    }
  }
  std::printf("ours: %zu traders x %zu symbols x %zu offsets (bars %zu..%zu), %s, %zu faults\n",
              o.traders.size(), data->symbols.size(), offsets, first, data->bars - 1,
              o.sandbox ? "sandboxed workers" : "in-process", faults);
  if (!o.signals_out.empty() && !write_verify_file(o.signals_out, ours, error))
    throw std::runtime_error(error);

  auto compare_with = [&](const std::string& path, const char* what) {
    auto peers = read_verify_file(path, data->symbols.size(), error);
    if (!peers) throw std::runtime_error(error);
    std::printf("\n== against the peers %s (%s)\n", what, path.c_str());
    std::fputs(format_comparison(compare_signals(ours, *peers, o.list), data->symbols).c_str(),
               stdout);
  };
  compare_with(o.reference, "as they run (RSI rounded to 2 decimals)");
  if (!o.unrounded.empty()) compare_with(o.unrounded, "without the RSI rounding");
  return faults == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "peer-signals-check: %s\n", e.what());
    return 1;
  }
}
