// vyx-ta: computes, with our library, every indicator an indicator-fixture
// file lists (vyx.indicator-fixture.v1) and prints the same format with our
// values, so any fixture can be diffed against TA-Lib's numbers.
#include <simdjson.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "vyx/indicators/catalog.hpp"

namespace {

constexpr const char* usage =
    "usage: vyx-ta [--strict] FILE.json > out.json\n"
    "\n"
    "Reads an indicator fixture (format vyx.indicator-fixture.v1: \"input\" columns open_time, "
    "open,\n"
    "high, low, close, volume [, taker_buy_volume], and \"indicators\" {id: {talib_function, "
    "params}})\n"
    "and prints the same document with \"outputs\" computed by the vyx indicator library: one "
    "value per\n"
    "bar, null before the indicator's lookback, full double precision.\n"
    "\n"
    "An indicator is found by its TA-Lib function and TA-Lib parameter names (MAType must be 0), "
    "or, for\n"
    "indicators TA-Lib does not have, by \"indicator\": \"<catalog id>\" with \"params\" named as "
    "in the\n"
    "catalog (e.g. {\"indicator\": \"vwap_rolling\", \"params\": {\"period\": 20}}).\n"
    "\n"
    "Unknown indicators are skipped with a warning on stderr (exit 0); with --strict they are an "
    "error.\n"
    "Exit status: 0 ok, 2 usage error, unreadable file, bad JSON or (with --strict) unknown "
    "indicator.\n"
    "\n"
    "Catalog ids:";

struct candle_columns {
  std::vector<std::int64_t> open_time;
  std::vector<double> open, high, low, close, volume, taker_buy;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "vyx-ta: %s\n", message.c_str());
  return 2;
}

bool read_column(simdjson::dom::object input, const char* name, std::vector<double>& out,
                 bool required, std::string& error) {
  simdjson::dom::array a;
  if (input[name].get_array().get(a)) {
    if (required) error = std::string("input.") + name + " is missing or not an array";
    return !required;
  }
  for (simdjson::dom::element e : a) {
    double v;
    if (e.get_double().get(v))
      return error = std::string("input.") + name + " holds a non-number", false;
    out.push_back(v);
  }
  return true;
}

void flatten(simdjson::dom::object o, const std::string& prefix,
             std::vector<std::pair<std::string, double>>& out) {
  for (auto [key, value] : o) {
    const std::string name = prefix + std::string(key);
    simdjson::dom::object nested;
    double v;
    if (value.get_object().get(nested) == simdjson::SUCCESS)
      flatten(nested, name + ".", out);
    else if (value.get_double().get(v) == simdjson::SUCCESS)
      out.emplace_back(name, v);
  }
}

void append_number(std::string& s, double v) {
  if (!std::isfinite(v)) {
    s += "null";
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  s.append(buf, r.ptr);
}

void append_string(std::string& s, std::string_view v) {
  s += '"';
  for (char c : v) {
    if (c == '"' || c == '\\') s += '\\';
    s += c;
  }
  s += '"';
}

// Finds the catalog entry for one fixture indicator; fills `options`.
const vyx::ta::indicator_info* resolve(simdjson::dom::object spec, std::vector<double>& options) {
  std::vector<std::pair<std::string, double>> params;
  simdjson::dom::object p;
  if (spec["params"].get_object().get(p) == simdjson::SUCCESS) flatten(p, "", params);
  options.assign(8, 0);
  std::string_view function;
  if (spec["talib_function"].get_string().get(function) == simdjson::SUCCESS) {
    std::vector<vyx::ta::talib_param> tp;
    for (const auto& [n, v] : params) tp.push_back({n, v});
    if (const auto* info = vyx::ta::match_talib(function, tp, options.data())) return info;
  }
  std::string_view id;
  if (spec["indicator"].get_string().get(id)) return nullptr;
  const auto* info = vyx::ta::find_indicator(id);
  if (info == nullptr) return nullptr;
  vyx::ta::default_options(*info, options.data());
  for (const auto& [n, v] : params) {
    bool found = false;
    for (std::size_t i = 0; i < info->options.size(); ++i)
      if (n == info->options[i].name) options[i] = v, found = true;
    if (!found) return nullptr;
  }
  return info;
}

}  // namespace

int main(int argc, char** argv) {
  bool strict = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h")) {
      std::fputs(usage, stdout);
      for (const auto& info : vyx::ta::catalog()) std::printf(" %s", info.id);
      std::puts("");
      return 0;
    }
    if (!std::strcmp(argv[i], "--strict"))
      strict = true;
    else if (argv[i][0] == '-' && argv[i][1] != '\0')
      return fail(std::string("unknown option ") + argv[i] + " (see --help)");
    else if (path == nullptr)
      path = argv[i];
    else
      return fail("more than one input file (see --help)");
  }
  if (path == nullptr) return fail("no input file (see --help)");

  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.load(path).get(doc))
    return fail(std::string(path) + ": " + simdjson::error_message(e));
  simdjson::dom::object input, indicators;
  if (doc["input"].get_object().get(input))
    return fail(std::string(path) + ": no \"input\" object");
  if (doc["indicators"].get_object().get(indicators))
    return fail(std::string(path) + ": no \"indicators\" object");

  candle_columns c;
  std::string error;
  if (!read_column(input, "open", c.open, true, error) ||
      !read_column(input, "high", c.high, true, error) ||
      !read_column(input, "low", c.low, true, error) ||
      !read_column(input, "close", c.close, true, error) ||
      !read_column(input, "volume", c.volume, true, error) ||
      !read_column(input, "taker_buy_volume", c.taker_buy, false, error))
    return fail(std::string(path) + ": " + error);
  const std::size_t n = c.close.size();
  simdjson::dom::array times;
  if (input["open_time"].get_array().get(times) == simdjson::SUCCESS)
    for (simdjson::dom::element t : times) {
      std::int64_t v;
      if (t.get_int64().get(v))
        return fail(std::string(path) + ": input.open_time holds a non-integer");
      c.open_time.push_back(v);
    }
  if (c.open.size() != n || c.high.size() != n || c.low.size() != n || c.volume.size() != n ||
      (!c.open_time.empty() && c.open_time.size() != n) ||
      (!c.taker_buy.empty() && c.taker_buy.size() != n))
    return fail(std::string(path) + ": input columns differ in length");

  vyx::ta::columns cols;
  cols.open = c.open.data(), cols.high = c.high.data(), cols.low = c.low.data(),
  cols.close = c.close.data();
  cols.volume = c.volume.data(), cols.size = n;
  cols.open_time = c.open_time.empty() ? nullptr : c.open_time.data();
  cols.taker_buy_volume = c.taker_buy.empty() ? nullptr : c.taker_buy.data();

  std::string out = "{\"format\":\"vyx.indicator-fixture.v1\"";
  std::string_view id;
  if (doc["id"].get_string().get(id) == simdjson::SUCCESS)
    out += ",\"id\":", append_string(out, id);
  out += ",\"reference\":{\"library\":\"vyx indicators\",\"tool\":\"vyx-ta\"}";
  out += ",\"input\":" + simdjson::to_string(input);
  out += ",\"indicators\":{";
  bool first = true;
  std::vector<std::vector<double>> buffers;
  for (auto [key, value] : indicators) {
    simdjson::dom::object spec;
    std::vector<double> options;
    const vyx::ta::indicator_info* info = nullptr;
    if (value.get_object().get(spec) == simdjson::SUCCESS) info = resolve(spec, options);
    if (info == nullptr) {
      if (strict)
        return fail(std::string(path) + ": unknown indicator \"" + std::string(key) + "\"");
      std::fprintf(stderr, "vyx-ta: warning: skipping unknown indicator \"%.*s\"\n",
                   static_cast<int>(key.size()), key.data());
      continue;
    }
    buffers.assign(info->outputs.size(), std::vector<double>(n));
    std::vector<double*> ptrs;
    for (auto& b : buffers) ptrs.push_back(b.data());
    const vyx::ta::status s = info->batch(cols, options.data(), ptrs.data());
    if (s != vyx::ta::status::ok && s != vyx::ta::status::input_too_short)
      return fail(std::string(path) + ": " + std::string(key) + ": " + vyx::ta::to_string(s));
    if (!first) out += ',';
    first = false;
    append_string(out, key);
    out += ":{\"indicator\":";
    append_string(out, info->id);
    std::string_view fn;
    if (spec["talib_function"].get_string().get(fn) == simdjson::SUCCESS)
      out += ",\"talib_function\":", append_string(out, fn);
    simdjson::dom::element raw;
    if (spec["inputs"].get(raw) == simdjson::SUCCESS)
      out += ",\"inputs\":" + simdjson::to_string(raw);
    if (spec["params"].get(raw) == simdjson::SUCCESS)
      out += ",\"params\":" + simdjson::to_string(raw);
    out += ",\"lookback\":" + std::to_string(info->lookback(options.data()));
    if (spec["talib_outputs"].get(raw) == simdjson::SUCCESS)
      out += ",\"talib_outputs\":" + simdjson::to_string(raw);
    out += ",\"outputs\":{";
    for (std::size_t k = 0; k < buffers.size(); ++k) {
      if (k) out += ',';
      append_string(out, info->outputs[k]);
      out += ":[";
      for (std::size_t i = 0; i < n; ++i) {
        if (i) out += ',';
        append_number(out, buffers[k][i]);
      }
      out += ']';
    }
    out += "}}";
  }
  out += "}}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 2;
}
