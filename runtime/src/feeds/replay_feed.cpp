// Replay feed: one cursor per (symbol, timeframe) file, merged by a min-heap
// on (close time, timeframe, symbol), optionally paced to a speed.
#include "vyx/runtime/feeds/replay_feed.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t symbol_limit = 31;  // candle_store's symbol slot
constexpr std::int64_t microsecond_threshold =
    100'000'000'000'000;  // ms timestamps stay below (year 5138)

template <typename T>
bool parse_number(std::string_view text, T& value) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '"')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '"')) text.remove_suffix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = line.find(',', start);
    fields.push_back(line.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

// Empty when the candle is sound; otherwise why it is not.
std::string check_candle(candle& c, vyx_timeframe timeframe) {
  if (c.open_time >= microsecond_threshold) {  // Binance's newer exports use microseconds
    c.open_time /= 1000;
    c.close_time /= 1000;
  }
  const std::int64_t interval = timeframe_ms(timeframe);
  if (c.close_time == 0) c.close_time = c.open_time + interval - 1;
  if (c.open_time < 0 || c.open_time % interval != 0)
    return "open time " + std::to_string(c.open_time) + " is not on a " +
           timeframe_name(timeframe) + " boundary";
  if (c.close_time != c.open_time + interval - 1)
    return "close time " + std::to_string(c.close_time) + " does not end a " +
           timeframe_name(timeframe) + " candle opening at " + std::to_string(c.open_time);
  for (double v : {c.open, c.high, c.low, c.close})
    if (!std::isfinite(v) || v <= 0) return "price not a positive finite number";
  for (double v : {c.volume, c.quote_volume, c.taker_buy_base_volume})
    if (!std::isfinite(v) || v < 0) return "volume not a non-negative finite number";
  if (c.trades < 0) return "negative trade count";
  if (c.low > std::min(c.open, c.close) || c.high < std::max(c.open, c.close))
    return "high/low do not enclose open and close";
  return {};
}

}  // namespace

// One file's cursor: `current` is its next accepted candle.
struct replay_feed::source {
  fs::path path;
  std::uint32_t symbol_index = 0;
  vyx_timeframe timeframe = 0;
  std::optional<candle> current;
  std::optional<std::int64_t> last_open;
  // CSV
  std::ifstream csv;
  std::uint64_t line = 0;
  bool seen_data_line = false;
  // JSON fixture: whole columns, read once
  std::vector<candle> bars;
  std::size_t bar = 0;
  bool is_json = false;
};

namespace {

bool load_fixture(const fs::path& path, std::vector<candle>& bars, std::string& symbol,
                  std::string& interval, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto ec = parser.load(path.string()).get(doc)) {
    error = simdjson::error_message(ec);
    return false;
  }
  std::string_view format, sym, iv;
  if (doc["format"].get(format) || format != "vyx.indicator-fixture.v1") {
    error = "not a vyx.indicator-fixture.v1 file";
    return false;
  }
  if (!doc["dataset"]["symbol"].get(sym)) symbol = std::string(sym);
  if (!doc["dataset"]["interval"].get(iv)) interval = std::string(iv);
  simdjson::dom::array open_time, open, high, low, close, volume;
  simdjson::dom::object input;
  if (doc["input"].get(input) || input["open_time"].get(open_time) || input["open"].get(open) ||
      input["high"].get(high) || input["low"].get(low) || input["close"].get(close) ||
      input["volume"].get(volume)) {
    error = "input columns missing";
    return false;
  }
  const std::size_t n = open_time.size();
  if (open.size() != n || high.size() != n || low.size() != n || close.size() != n ||
      volume.size() != n) {
    error = "input columns differ in length";
    return false;
  }
  bars.resize(n);
  auto read_column = [&](simdjson::dom::array column, auto member) {
    std::size_t i = 0;
    for (auto value : column) {
      double d = std::numeric_limits<double>::quiet_NaN();
      if (value.is_int64())
        d = static_cast<double>(std::int64_t(value));
      else if (value.is_uint64())
        d = static_cast<double>(std::uint64_t(value));
      else if (value.is_double())
        d = double(value);
      bars[i++].*member = d;
    }
  };
  std::size_t i = 0;
  for (auto value : open_time) {
    std::int64_t t = -1;
    if (value.get(t)) {
      double d = 0;
      t = value.get(d) ? -1 : static_cast<std::int64_t>(d);
    }
    bars[i++].open_time = t;
  }
  read_column(open, &candle::open);
  read_column(high, &candle::high);
  read_column(low, &candle::low);
  read_column(close, &candle::close);
  read_column(volume, &candle::volume);
  return true;
}

}  // namespace

replay_feed::replay_feed(const fs::path& path, replay_options options) : options_(options) {
  struct found {
    std::string symbol;
    vyx_timeframe timeframe;
    fs::path path;
    std::vector<candle> bars;  // preloaded single fixture
    bool is_json;
  };
  std::vector<found> files;
  std::vector<std::pair<std::string, fs::path>> ticker_files;
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    std::vector<candle> bars;
    std::string symbol, interval, error;
    if (path.extension() != ".json" || !load_fixture(path, bars, symbol, interval, error))
      throw std::runtime_error(path.string() + ": not a data directory or fixture file" +
                               (error.empty() ? "" : " (" + error + ")"));
    auto tf = parse_timeframe(interval);
    if (!tf) throw std::runtime_error(path.string() + ": unknown interval '" + interval + "'");
    files.push_back({symbol, *tf, path, std::move(bars), true});
  } else if (fs::is_directory(path, ec)) {
    for (const auto& dir : fs::directory_iterator(path, ec)) {
      if (!dir.is_directory()) continue;
      std::string symbol = dir.path().filename().string();
      for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
        auto ext = file.path().extension();
        if (file.path().filename() == "ticker.csv" && file.is_regular_file()) {
          ticker_files.emplace_back(symbol, file.path());
          continue;
        }
        auto tf = parse_timeframe(file.path().stem().string());
        if (!file.is_regular_file() || !tf || (ext != ".csv" && ext != ".json")) continue;
        if (symbol.empty() || symbol.size() > symbol_limit) {
          spdlog::warn("feed: {}: symbol name longer than {} bytes (skipped)", file.path().string(),
                       symbol_limit);
          continue;
        }
        files.push_back({symbol, *tf, file.path(), {}, ext == ".json"});
      }
    }
  } else {
    throw std::runtime_error(path.string() + ": no such data directory or file");
  }
  if (files.empty())
    throw std::runtime_error(path.string() +
                             ": no candle files (expected DATA/<SYMBOL>/<timeframe>.csv or .json)");

  // Symbol indexes in name order: the same data gives the same indexes.
  std::map<std::string, std::uint32_t> index;
  for (const auto& f : files) index.emplace(f.symbol, 0);
  for (auto& [name, i] : index) {
    i = static_cast<std::uint32_t>(symbols_.size());
    symbols_.push_back(name);
  }
  tickers_.resize(symbols_.size());
  for (const auto& [symbol, file] : ticker_files)
    if (auto it = index.find(symbol); it != index.end()) load_tickers_(it->second, file);
  std::sort(files.begin(), files.end(), [&](const found& a, const found& b) {
    return std::tie(a.symbol, a.timeframe, a.path) < std::tie(b.symbol, b.timeframe, b.path);
  });
  for (auto& f : files) {
    auto s = std::make_unique<source>();
    s->path = f.path;
    s->symbol_index = index.at(f.symbol);
    s->timeframe = f.timeframe;
    s->is_json = f.is_json;
    if (f.is_json) {
      std::string symbol, interval, error;
      if (!f.bars.empty())
        s->bars = std::move(f.bars);
      else if (!load_fixture(f.path, s->bars, symbol, interval, error)) {
        warn_(&feed_stats::malformed, f.path.string(), error);
        continue;
      }
    } else {
      s->csv.open(f.path);
      if (!s->csv) {
        warn_(&feed_stats::malformed, f.path.string(), "cannot open");
        continue;
      }
    }
    timeframes_ |= 1u << f.timeframe;
    sources_.push_back(std::move(s));
  }
  auto later = [this](std::size_t a, std::size_t b) {
    const auto& x = *sources_[a]->current;
    const auto& y = *sources_[b]->current;
    return std::tie(x.close_time, sources_[a]->timeframe, sources_[a]->symbol_index) >
           std::tie(y.close_time, sources_[b]->timeframe, sources_[b]->symbol_index);
  };
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    advance_(*sources_[i]);
    if (sources_[i]->current) heap_.push_back(i);
  }
  std::make_heap(heap_.begin(), heap_.end(), later);
}

replay_feed::~replay_feed() = default;

void replay_feed::load_tickers_(std::uint32_t symbol, const fs::path& file) {
  std::ifstream in(file);
  std::string text;
  std::uint64_t line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (text.empty()) continue;
    auto f = split_fields(text);
    std::int64_t close_time = 0;
    vyx_ticker t{sizeof(vyx_ticker), 0, 0, 0, 0};
    if (f.size() != 4 || !parse_number(f[0], close_time) || !parse_number(f[1], t.last_price) ||
        !parse_number(f[2], t.price_change_percent) || !parse_number(f[3], t.quote_volume)) {
      warn_(&feed_stats::malformed, file.string() + ":" + std::to_string(line),
            "malformed ticker row (want close time, last price, change %, quote volume)");
      continue;
    }
    tickers_[symbol][close_time] = t;
  }
}

// Moves a source to its next acceptable candle, counting what it skips.
void replay_feed::advance_(source& s) {
  s.current.reset();
  while (true) {
    candle c;
    std::string where;
    std::string problem;
    if (s.is_json) {
      if (s.bar >= s.bars.size()) return;
      c = s.bars[s.bar];
      where = s.path.string() + ": bar " + std::to_string(s.bar);
      ++s.bar;
      c.close_time = 0;
      c.quote_volume = c.volume * c.close;
      problem = check_candle(c, s.timeframe);
    } else {
      std::string text;
      if (!std::getline(s.csv, text)) return;
      ++s.line;
      if (!text.empty() && text.back() == '\r') text.pop_back();
      if (text.find_first_not_of(" \t") == std::string::npos) continue;
      where = s.path.string() + ":" + std::to_string(s.line);
      auto fields = split_fields(text);
      std::int64_t probe = 0;
      if (!s.seen_data_line && !parse_number(fields[0], probe)) {
        s.seen_data_line = true;  // a header line, allowed once at the top
        continue;
      }
      s.seen_data_line = true;
      double ignored = 0;
      bool ok = fields.size() >= 7 && fields.size() <= 12 && parse_number(fields[0], c.open_time) &&
                parse_number(fields[1], c.open) && parse_number(fields[2], c.high) &&
                parse_number(fields[3], c.low) && parse_number(fields[4], c.close) &&
                parse_number(fields[5], c.volume) && parse_number(fields[6], c.close_time) &&
                (fields.size() < 8 || parse_number(fields[7], c.quote_volume)) &&
                (fields.size() < 9 || parse_number(fields[8], c.trades)) &&
                (fields.size() < 10 || parse_number(fields[9], c.taker_buy_base_volume)) &&
                (fields.size() < 11 || parse_number(fields[10], ignored));
      problem = ok ? check_candle(c, s.timeframe)
                   : "malformed row (want open time, open, high, low, close, volume, close time, "
                     "quote volume, "
                     "trades, taker buy base, taker buy quote, ignore)";
    }
    if (!problem.empty()) {
      warn_(&feed_stats::malformed, where, problem);
      continue;
    }
    if (s.last_open && c.open_time == *s.last_open) {
      warn_(&feed_stats::duplicate, where, "duplicate candle at " + std::to_string(c.open_time));
      continue;
    }
    if (s.last_open && c.open_time < *s.last_open) {
      warn_(&feed_stats::out_of_order, where,
            "candle at " + std::to_string(c.open_time) + " after " + std::to_string(*s.last_open));
      continue;
    }
    s.last_open = c.open_time;
    if (options_.from_ms && c.open_time < *options_.from_ms) continue;
    if (options_.to_ms && c.close_time > *options_.to_ms) continue;
    s.current = c;
    return;
  }
}

bool replay_feed::next_it_(closed_candle& out) {
  if (heap_.empty()) return false;
  auto later = [this](std::size_t a, std::size_t b) {
    const auto& x = *sources_[a]->current;
    const auto& y = *sources_[b]->current;
    return std::tie(x.close_time, sources_[a]->timeframe, sources_[a]->symbol_index) >
           std::tie(y.close_time, sources_[b]->timeframe, sources_[b]->symbol_index);
  };
  std::pop_heap(heap_.begin(), heap_.end(), later);
  source& s = *sources_[heap_.back()];
  if (!pace_(s.current->close_time)) {
    std::push_heap(heap_.begin(), heap_.end(), later);
    return false;
  }
  out.symbol_index = s.symbol_index;
  out.timeframe = s.timeframe;
  out.bar = *s.current;
  out.has_ticker = false;
  if (const auto& t = tickers_[s.symbol_index]; !t.empty())
    if (auto it = t.find(out.bar.close_time); it != t.end()) {
      out.has_ticker = true;
      out.ticker = it->second;
    }
  advance_(s);
  if (s.current)
    std::push_heap(heap_.begin(), heap_.end(), later);
  else
    heap_.pop_back();
  return true;
}

// Waits until the candle's close is due at the replay speed; false if stopped.
bool replay_feed::pace_(std::int64_t close_time) {
  std::unique_lock lock(stop_mutex_);
  if (stopped_) return false;
  if (options_.speed <= 0) return true;
  if (!first_close_) {
    first_close_ = close_time;
    started_ = std::chrono::steady_clock::now();
  }
  auto due =
      started_ +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double, std::milli>((close_time - *first_close_) / options_.speed));
  stop_cv_.wait_until(lock, due, [this] { return stopped_; });
  return !stopped_;
}

void replay_feed::stop_it_() {
  {
    std::lock_guard lock(stop_mutex_);
    stopped_ = true;
  }
  stop_cv_.notify_all();
}

}  // namespace vyx::runtime
