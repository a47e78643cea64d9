// The messages between the pool and a vyx-worker, as typed structs. Each
// one's encode and decode sit side by side (worker_protocol.cpp), and decode
// refuses any frame whose fields do not all read back. Checks that need the
// receiver's state (the tick it waits for, its number of traders, the
// symbols it asked for) are the receiver's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/frames.hpp"
#include "vyx/abi.h"
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime::protocol {

enum class message : std::uint32_t {
  hello = 1,          // worker -> pool, once, after loading and lockdown
  tick = 2,           // pool -> worker
  tick_result = 3,    // worker -> pool
  series = 4,         // pool -> worker
  series_result = 5,  // worker -> pool
  quit = 6,           // pool -> worker
};

// The type word a payload opens with, if it names a message.
std::optional<message> type_of(const std::vector<char>& payload);

// A plugin as a worker found it after loading.
struct plugin_info {
  bool ok = false;
  std::string error;
  std::string name;
  vyx_timeframe_mask required_timeframes = 0;
  std::uint32_t history_bars = 0;
  std::uint32_t max_signal_values = 0;
  bool has_series = false;
};

// worker -> pool, once its plugins are loaded and it is locked down: one
// report per plugin, in the order of its --plugin arguments.
struct hello {
  std::vector<plugin_info> plugins;

  writer encode() const;
  static std::optional<hello> decode(const std::vector<char>& payload);
};

// pool -> worker: evaluate these traders over the symbols [begin, end).
struct tick_command {
  std::uint64_t tick_id = 0;
  std::int64_t now_ms = 0;
  std::uint32_t begin = 0, end = 0;
  std::vector<std::uint32_t> traders;  // plugin indices

  writer encode() const;
  static std::optional<tick_command> decode(const std::vector<char>& payload);
};

// worker -> pool: what one tick command found.
struct tick_reply {
  // A match's values are values[first_value, first_value + value_count):
  // one flat array, so a tick costs no allocation per match in the worker.
  struct match {
    std::uint32_t trader = 0, symbol = 0;
    std::uint32_t first_value = 0, value_count = 0;
  };
  // A non-benign status: the plugin's own, or the host's verdict on it.
  struct error {
    std::uint32_t trader = 0, symbol = 0;
    vyx_status status = VYX_OK;
  };
  // A bound well above what the evaluator lets a match carry (64 values): a
  // reply claiming more is malformed.
  static constexpr std::uint32_t max_values_per_match = 1024;

  std::uint64_t tick_id = 0;
  std::uint64_t evaluations = 0;
  std::uint64_t cpu_ns = 0;  // the worker's CPU time so far (it is recycled at a limit)
  std::vector<match> matches;
  std::vector<vyx_signal_value> values;
  std::vector<error> errors;

  void add_match(std::uint32_t trader, std::uint32_t symbol, const vyx_signal_value* first,
                 std::uint32_t count);
  writer encode() const;
  void encode_into(writer& out) const;  // the same into `out`, reusing its buffer
  // The pool's side: each match goes straight onto `out` with its named
  // values (no copy of them in between), and the reply returned has no
  // matches or values of its own. On a malformed frame `out` is left as it was.
  static std::optional<tick_reply> decode_into(const std::vector<char>& payload,
                                               std::vector<runtime::match>& out);
};

// pool -> worker: the chart series of one trader for one symbol.
struct series_command {
  std::uint32_t trader = 0, symbol = 0;
  std::int64_t now_ms = 0;

  writer encode() const;
  static std::optional<series_command> decode(const std::vector<char>& payload);
};

// worker -> pool: those series, or the evaluator's error.
struct series_reply {
  plot_result plot;

  writer encode() const;
  static std::optional<series_reply> decode(const std::vector<char>& payload);
};

// pool -> worker: exit now (a retired generation's workers).
inline writer quit() { return writer(message::quit); }

}  // namespace vyx::runtime::protocol
