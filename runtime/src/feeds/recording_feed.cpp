// Recording what a feed delivers in the replay layout.
#include "vyx/runtime/feeds/recording_feed.hpp"

#include <algorithm>
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

std::string ticker_csv_row(std::int64_t close_time, const vyx_ticker& t) {
  std::string row = std::to_string(close_time);
  for (double v : {t.last_price, t.price_change_percent, t.quote_volume}) {
    row += ',';
    put(row, v);
  }
  return row + '\n';
}

recording_feed::recording_feed(feed& source, const std::filesystem::path& dir)
    : passthrough_feed(source), dir_(dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw std::runtime_error(dir.string() + ": " + ec.message());
  files_.resize(symbols_.size() * VYX_TIMEFRAME_COUNT);
}

recording_feed::~recording_feed() = default;

// The source's universe changed: newcomers appended, or a slot given to
// another symbol, whose rows then go to its own folder.
void recording_feed::follow_symbols_() {
  symbols_version_seen_ = source_.symbols_version();
  const auto& now = source_.symbols();
  for (std::size_t i = 0; i < std::min(now.size(), symbols_.size()); ++i) {
    if (now[i] == symbols_[i]) continue;
    for (vyx_timeframe tf = 0; tf < VYX_TIMEFRAME_COUNT; ++tf) {
      auto& file = files_[i * VYX_TIMEFRAME_COUNT + tf];
      if (file) {
        dirty_.erase(std::remove(dirty_.begin(), dirty_.end(), file.get()), dirty_.end());
        file.reset();  // flushed and closed
      }
    }
    if (i < ticker_files_.size()) ticker_files_[i].reset();
    if (i < ticker_written_.size()) ticker_written_[i] = 0;
  }
  symbols_ = now;
  files_.resize(symbols_.size() * VYX_TIMEFRAME_COUNT);
}

bool recording_feed::next_it_(closed_candle& out) {
  if (!source_.next(out)) return false;
  if (source_.symbols_version() != symbols_version_seen_ ||
      (out.symbol_index >= symbols_.size() && source_.symbols().size() > symbols_.size()))
    follow_symbols_();
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
  if (out.has_ticker) write_ticker_(out);
  // Whole batches reach the disk before their tick runs: a killed session
  // leaves a recording that replays to the signals it wrote.
  if (source_.batch_complete()) {
    for (auto* f : dirty_) f->flush();
    dirty_.clear();
  }
  ++recorded_;
  return true;
}

// Once per (symbol, close): every candle of the close carries the same ticker.
void recording_feed::write_ticker_(const closed_candle& c) {
  if (ticker_written_.size() < symbols_.size()) {
    ticker_written_.resize(symbols_.size(), 0);
    ticker_files_.resize(symbols_.size());
  }
  if (ticker_written_[c.symbol_index] >= c.bar.close_time) return;
  ticker_written_[c.symbol_index] = c.bar.close_time;
  auto& file = ticker_files_[c.symbol_index];
  if (!file)
    file = std::make_unique<std::ofstream>(dir_ / symbols_[c.symbol_index] / "ticker.csv", std::ios::app);
  *file << ticker_csv_row(c.bar.close_time, c.ticker);
  dirty_.push_back(file.get());
}

}  // namespace vyx::runtime
