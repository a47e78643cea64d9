// Encode and decode of every pool <-> worker message (see worker_protocol.hpp).
#include "protocol/worker_protocol.hpp"

#include <algorithm>
#include <cstring>

namespace vyx::runtime::protocol {
namespace {

// A reader past the type word, if the payload opens with `expected`.
std::optional<reader> body_of(const std::vector<char>& payload, message expected) {
  reader in(payload.data(), payload.size());
  std::uint32_t type = 0;
  if (!in.get(type) || type != static_cast<std::uint32_t>(expected)) return std::nullopt;
  return in;
}

}  // namespace

std::optional<message> type_of(const std::vector<char>& payload) {
  reader in(payload.data(), payload.size());
  std::uint32_t t = 0;
  if (!in.get(t) || t < 1 || t > 6) return std::nullopt;
  return static_cast<message>(t);
}

// ------------------------------------------------------------------ hello

writer hello::encode() const {
  writer out(message::hello);
  out.put(static_cast<std::uint32_t>(plugins.size()));
  for (const plugin_info& p : plugins) {
    out.put(static_cast<std::uint32_t>(p.ok));
    out.put_string(p.error);
    out.put_string(p.name);
    out.put(p.required_timeframes);
    out.put(p.history_bars);
    out.put(p.max_signal_values);
    out.put(static_cast<std::uint32_t>(p.has_series));
  }
  return out;
}

std::optional<hello> hello::decode(const std::vector<char>& payload) {
  auto in = body_of(payload, message::hello);
  std::uint32_t count = 0;
  if (!in || !in->get(count)) return std::nullopt;
  hello h;
  for (std::uint32_t i = 0; i < count; ++i) {
    plugin_info p;
    std::uint32_t ok = 0, has_series = 0;
    if (!in->get(ok) || !in->get_string(p.error) || !in->get_string(p.name) ||
        !in->get(p.required_timeframes) || !in->get(p.history_bars) ||
        !in->get(p.max_signal_values) || !in->get(has_series))
      return std::nullopt;
    p.ok = ok != 0;
    p.has_series = has_series != 0;
    h.plugins.push_back(std::move(p));
  }
  return h;
}

// ------------------------------------------------------------------- tick

writer tick_command::encode() const {
  writer out(message::tick);
  out.put(tick_id);
  out.put(now_ms);
  out.put(begin);
  out.put(end);
  out.put(static_cast<std::uint32_t>(traders.size()));
  out.put_bytes(traders.data(), traders.size() * sizeof(std::uint32_t));
  return out;
}

std::optional<tick_command> tick_command::decode(const std::vector<char>& payload) {
  auto in = body_of(payload, message::tick);
  tick_command c;
  std::uint32_t trader_count = 0;
  if (!in || !in->get(c.tick_id) || !in->get(c.now_ms) || !in->get(c.begin) || !in->get(c.end) ||
      !in->get(trader_count) || trader_count > in->remaining() / sizeof(std::uint32_t))
    return std::nullopt;
  c.traders.resize(trader_count);
  in->get_bytes(c.traders.data(), trader_count * sizeof(std::uint32_t));
  return c;
}

void tick_reply::add_match(std::uint32_t trader, std::uint32_t symbol,
                           const vyx_signal_value* first, std::uint32_t count) {
  matches.push_back({trader, symbol, static_cast<std::uint32_t>(values.size()), count});
  values.insert(values.end(), first, first + count);
}

// A value goes as its name's length (a byte), the name's bytes and the
// double: names are short, and a full 32-byte name field per value made a
// tick where every symbol matches several megabytes to copy and send.
writer tick_reply::encode() const {
  writer out(message::tick_result);
  encode_into(out);
  return out;
}

void tick_reply::encode_into(writer& out) const {
  out.reset(message::tick_result);
  // Sized exactly and written through one cursor: a tick where every symbol
  // matches has tens of thousands of matches, and a resize per field was
  // most of the worker's cost of replying.
  thread_local std::vector<std::uint8_t> lengths;  // kept with its capacity, as the reply is
  lengths.resize(values.size());
  std::size_t size = sizeof tick_id + sizeof evaluations + sizeof cpu_ns +
                     2 * sizeof(std::uint32_t) + matches.size() * 3 * sizeof(std::uint32_t) +
                     errors.size() * (2 * sizeof(std::uint32_t) + sizeof(vyx_status));
  for (std::size_t v = 0; v < values.size(); ++v) {
    lengths[v] = static_cast<std::uint8_t>(strnlen(values[v].name, VYX_NAME_CAPACITY));
    size += 1 + lengths[v] + sizeof(double);
  }
  std::vector<char>& bytes = out.bytes();
  const std::size_t header = bytes.size();
  bytes.resize(header + size);
  char* at = bytes.data() + header;
  const auto put = [&at](const void* p, std::size_t n) {
    std::memcpy(at, p, n);
    at += n;
  };
  const auto match_count = static_cast<std::uint32_t>(matches.size());
  const auto error_count = static_cast<std::uint32_t>(errors.size());
  put(&tick_id, sizeof tick_id);
  put(&evaluations, sizeof evaluations);
  put(&cpu_ns, sizeof cpu_ns);
  put(&match_count, sizeof match_count);
  put(&error_count, sizeof error_count);
  for (const match& m : matches) {
    put(&m.trader, sizeof m.trader);
    put(&m.symbol, sizeof m.symbol);
    put(&m.value_count, sizeof m.value_count);
    for (std::uint32_t v = m.first_value; v < m.first_value + m.value_count; ++v) {
      *at++ = static_cast<char>(lengths[v]);
      put(values[v].name, lengths[v]);
      put(&values[v].value, sizeof(double));
    }
  }
  for (const error& e : errors) {
    put(&e.trader, sizeof e.trader);
    put(&e.symbol, sizeof e.symbol);
    put(&e.status, sizeof e.status);
  }
}

std::optional<tick_reply> tick_reply::decode_into(const std::vector<char>& payload,
                                                  std::vector<runtime::match>& out) {
  const std::size_t before = out.size();
  const auto refuse = [&]() -> std::optional<tick_reply> {
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    return std::nullopt;
  };
  auto in = body_of(payload, message::tick_result);
  tick_reply r;
  std::uint32_t match_count = 0, error_count = 0;
  if (!in || !in->get(r.tick_id) || !in->get(r.evaluations) || !in->get(r.cpu_ns) ||
      !in->get(match_count) || !in->get(error_count))
    return std::nullopt;
  // Counts come from the worker: storage grows only as fields actually read
  // back, or as far as the bytes left could hold (a match is 12 at least).
  out.reserve(out.size() + std::min<std::size_t>(match_count, in->remaining() / 12));
  for (std::uint32_t i = 0; i < match_count; ++i) {
    std::uint32_t trader = 0, symbol = 0, value_count = 0;
    if (!in->get(trader) || !in->get(symbol) || !in->get(value_count) ||
        value_count > max_values_per_match || value_count > in->remaining() / (1 + sizeof(double)))
      return refuse();
    runtime::match& m = out.emplace_back();
    m.trader_index = trader;
    m.symbol_index = symbol;
    m.values.reserve(value_count);
    for (std::uint32_t v = 0; v < value_count; ++v) {
      std::uint8_t length = 0;
      const char* name = nullptr;
      double value = 0;
      if (!in->get(length) || length > VYX_NAME_CAPACITY ||
          (name = in->get_view(length)) == nullptr || !in->get(value))
        return refuse();
      m.values.push_back({std::string(name, length), value});
    }
  }
  for (std::uint32_t i = 0; i < error_count; ++i) {
    error e;
    if (!in->get(e.trader) || !in->get(e.symbol) || !in->get(e.status)) return refuse();
    r.errors.push_back(e);
  }
  return r;
}

// ----------------------------------------------------------------- series

writer series_command::encode() const {
  writer out(message::series);
  out.put(trader);
  out.put(symbol);
  out.put(now_ms);
  return out;
}

std::optional<series_command> series_command::decode(const std::vector<char>& payload) {
  auto in = body_of(payload, message::series);
  series_command c;
  if (!in || !in->get(c.trader) || !in->get(c.symbol) || !in->get(c.now_ms)) return std::nullopt;
  return c;
}

writer series_reply::encode() const {
  writer out(message::series_result);
  out.put_string(plot.error);
  out.put(static_cast<std::uint32_t>(plot.series.size()));
  for (const auto& s : plot.series) {
    out.put_string(s.name);
    out.put(s.kind);
    out.put(s.timeframe);
    out.put(static_cast<std::uint32_t>(s.panel));
    out.put(static_cast<std::uint64_t>(s.values.size()));
    out.put_bytes(s.values.data(), s.values.size() * sizeof(double));
  }
  return out;
}

std::optional<series_reply> series_reply::decode(const std::vector<char>& payload) {
  auto in = body_of(payload, message::series_result);
  series_reply r;
  std::uint32_t count = 0;
  if (!in || !in->get_string(r.plot.error) || !in->get(count)) return std::nullopt;
  for (std::uint32_t i = 0; i < count; ++i) {
    decltype(r.plot.series)::value_type s;
    std::uint32_t panel = 0;
    std::uint64_t n = 0;
    if (!in->get_string(s.name) || !in->get(s.kind) || !in->get(s.timeframe) || !in->get(panel) ||
        !in->get(n) || n > in->remaining() / sizeof(double))
      return std::nullopt;
    s.panel = panel != 0;
    s.values.resize(n);
    in->get_bytes(s.values.data(), n * sizeof(double));
    r.plot.series.push_back(std::move(s));
  }
  return r;
}

}  // namespace vyx::runtime::protocol
