// Recording what a feed delivers in the replay layout.
#include "vyx/runtime/feeds/recording_feed.hpp"

#include <charconv>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

namespace {
void put(std::string& out, double v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, ec == std::errc{} ? end : buffer);
}
}  // namespace

std::string kline_csv_row(const candle& c) {
  std::string row = std::to_string(c.open_time);
  for (double v : {c.open, c.high, c.low, c.close, c.volume}) {
    row += ',';
    put(row, v);
  }
  row += ',' + std::to_string(c.close_time) + ',';
  put(row, c.quote_volume);
  row += ',' + std::to_string(c.trades) + ',';
  put(row, c.taker_buy_base_volume);
  row += ',';
  put(row, c.taker_buy_base_volume * c.close);
  row += ",0\n";
  return row;
}

recording_feed::recording_feed(feed& source, const std::filesystem::path& dir)
    : source_(source), dir_(dir) {
  symbols_ = source.symbols();
  timeframes_ = source.timeframes();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
  files_.resize(symbols_.size() * VYX_TIMEFRAME_COUNT);
}

recording_feed::~recording_feed() = default;

bool recording_feed::next_it_(closed_candle& out) {
  if (!source_.next(out)) return false;
  if (out.symbol_index >= symbols_.size() || out.timeframe >= VYX_TIMEFRAME_COUNT) return true;
  auto& file = files_[out.symbol_index * VYX_TIMEFRAME_COUNT + out.timeframe];
  if (!file) {
    auto folder = dir_ / symbols_[out.symbol_index];
    std::filesystem::create_directories(folder);
    file = std::make_unique<std::ofstream>(folder / (std::string(timeframe_name(out.timeframe)) + ".csv"),
                                           std::ios::app);
  }
  *file << kline_csv_row(out.bar);
  dirty_.push_back(file.get());
  // Whole batches reach the disk before their tick runs: a killed session
  // leaves a recording that replays to the signals it wrote.
  if (source_.batch_complete()) {
    for (auto* f : dirty_) f->flush();
    dirty_.clear();
  }
  ++recorded_;
  return true;
}

}  // namespace vyx::runtime
