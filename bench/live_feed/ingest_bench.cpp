// Ingest: kline frames as Binance sends them (combined-stream envelope,
// decimal strings), parsed (simdjson on-demand) and put in the candle store
// (closed: appended; forming: the forming slot) on one core. Writes the same
// frames to a file for the Go (encoding/json) and Node (JSON.parse) peers.
//   build/bench/live_feed/live_ingest_bench [frames] [out-file]
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "feeds/binance/message_parser.hpp"
#include "mock_market.hpp"
#include "mock_sessions.hpp"
#include "vyx/runtime/market/candle_store.hpp"
#include "vyx/runtime/market/timeframe.hpp"

using namespace vyx;
using namespace vyx::runtime;

int main(int argc, char** argv) {
  const std::size_t frames = argc > 1 ? std::stoul(argv[1]) : 2'000'000;
  const std::string out_file = argc > 2 ? argv[2] : "";
  // 200 symbols x 1m; one closed frame in ten (Binance sends an x=false update
  // every 1-2 s per stream and one x=true per close).
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back("SYM" + std::to_string(i) + "USDT");
  auto market = mock::generate_market(names, 1u << VYX_TF_1M, 1'767'225'600'000, 600);
  std::vector<std::string> messages;
  for (std::size_t m = 0; m < 600 && messages.size() < 100'000; ++m)
    for (const auto& s : market.symbols)
      messages.push_back(mock::kline_event(s.name, VYX_TF_1M, s.bars[0][m], m % 10 == 9, s.bars[0][m].close_time));
  // Padded copies, as the stream connection hands them over.
  std::vector<std::string> padded;
  for (const auto& m : messages) {
    std::string p = m;
    p.resize(m.size() + simdjson::SIMDJSON_PADDING);
    padded.push_back(std::move(p));
  }
  if (!out_file.empty()) {
    std::ofstream out(out_file);
    for (const auto& m : messages) out << m << '\n';
  }
  candle_store_layout layout;
  layout.symbols = names;
  layout.timeframes = 1u << VYX_TF_1M;
  layout.capacity = 500;
  auto store = candle_store::create(layout);
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t i = 0; i < names.size(); ++i) index.emplace(store.symbol(i), i);
  binance::message_parser parser;
  std::vector<std::int64_t> last_open(names.size(), -1);
  std::size_t klines = 0, appended = 0, bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < frames; ++i) {
    const std::string& m = messages[i % messages.size()];
    const std::string& p = padded[i % messages.size()];
    bytes += m.size();
    if (parser.parse(p.data(), m.size(), p.size()) != binance::message_kind::kline) continue;
    ++klines;
    const auto& k = parser.kline();
    auto it = index.find(k.symbol);
    if (it == index.end()) continue;
    const std::uint32_t s = it->second;
    if (k.closed) {
      // The ring cycles through the same 600 minutes: keep appends in order.
      if (k.bar.open_time <= last_open[s]) store.clear_forming(s, VYX_TF_1M);
      if (k.bar.open_time > last_open[s]) {
        store.append(s, VYX_TF_1M, k.bar);
        last_open[s] = k.bar.open_time;
        ++appended;
      }
    } else if (k.bar.open_time > last_open[s]) {
      store.set_forming(s, VYX_TF_1M, k.bar);
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("live ingest (simdjson on-demand + symbol lookup + store), one core:\n");
  std::printf("  %zu frames (%zu klines, %zu closed appended), %.1f MB in %.3f s\n", frames, klines,
              appended, static_cast<double>(bytes) / 1e6, seconds);
  std::printf("  %.2f M kline messages/s, %.0f MB/s\n", static_cast<double>(klines) / seconds / 1e6,
              static_cast<double>(bytes) / seconds / 1e6);
  std::printf("command: taskset -c 0 %s %zu%s%s\n", argv[0], frames, out_file.empty() ? "" : " ",
              out_file.c_str());
  return klines == frames ? 0 : 1;
}
