// Fixture loading with simdjson's DOM API: the files are small (< 1 MB), so
// clarity wins over on-demand parsing.
#include "fixture.hpp"

#include <simdjson.h>

#include <cmath>

namespace vyx::test {
namespace {

bool read_number(simdjson::dom::element e, double& v) {
  if (e.is_null()) {
    v = std::nan("");
    return true;
  }
  return e.get_double().get(v) == simdjson::SUCCESS;
}

bool read_series(simdjson::dom::element e, std::vector<double>& out) {
  simdjson::dom::array a;
  if (e.get_array().get(a)) return false;
  out.clear();
  out.reserve(a.size());
  for (simdjson::dom::element x : a) {
    double v;
    if (!read_number(x, v)) return false;
    out.push_back(v);
  }
  return true;
}

void flatten_params(simdjson::dom::object o, const std::string& prefix,
                    std::vector<std::pair<std::string, double>>& out) {
  for (auto [key, value] : o) {
    std::string name = prefix + std::string(key);
    simdjson::dom::object nested;
    if (value.get_object().get(nested) == simdjson::SUCCESS) {
      flatten_params(nested, name + ".", out);
      continue;
    }
    double v;
    if (value.get_double().get(v) == simdjson::SUCCESS) out.emplace_back(name, v);
  }
}

bool read_indicator(std::string_view id, simdjson::dom::object o, fixture_indicator& ind,
                    std::string& error) {
  ind.id = std::string(id);
  std::string_view fn;
  if (o["talib_function"].get_string().get(fn))
    return error = ind.id + ": no talib_function", false;
  ind.talib_function = std::string(fn);
  simdjson::dom::array inputs;
  if (o["inputs"].get_array().get(inputs) == simdjson::SUCCESS)
    for (simdjson::dom::element x : inputs) {
      std::string_view s;
      if (x.get_string().get(s) == simdjson::SUCCESS) ind.inputs.emplace_back(s);
    }
  simdjson::dom::object params;
  if (o["params"].get_object().get(params) == simdjson::SUCCESS)
    flatten_params(params, "", ind.params);
  int64_t lookback;
  if (o["lookback"].get_int64().get(lookback)) return error = ind.id + ": no lookback", false;
  ind.lookback = static_cast<int>(lookback);
  simdjson::dom::object outputs;
  if (o["outputs"].get_object().get(outputs)) return error = ind.id + ": no outputs", false;
  for (auto [key, value] : outputs) {
    std::vector<double> series;
    if (!read_series(value, series))
      return error = ind.id + ": bad output " + std::string(key), false;
    ind.outputs.emplace_back(std::string(key), std::move(series));
  }
  simdjson::dom::object exact;
  if (o["exact_outputs"].get_object().get(exact) == simdjson::SUCCESS)
    for (auto [key, value] : exact) {
      std::vector<double> series;
      if (!read_series(value, series)) return error = ind.id + ": bad exact output", false;
      ind.exact_outputs.emplace(std::string(key), std::move(series));
    }
  simdjson::dom::object artifacts;
  if (o["artifact_bars"].get_object().get(artifacts) == simdjson::SUCCESS)
    for (auto [key, value] : artifacts) {
      std::vector<int>& bars = ind.artifact_bars[std::string(key)];
      simdjson::dom::array a;
      if (value.get_array().get(a) == simdjson::SUCCESS)
        for (simdjson::dom::element x : a) {
          int64_t b;
          if (x.get_int64().get(b) == simdjson::SUCCESS) bars.push_back(static_cast<int>(b));
        }
    }
  return true;
}

}  // namespace

std::vector<ta::talib_param> fixture_indicator::talib_params() const {
  std::vector<ta::talib_param> out;
  for (const auto& [name, value] : params) out.push_back({name, value});
  return out;
}

const std::vector<double>* fixture_indicator::reference(const std::string& name) const {
  if (auto it = exact_outputs.find(name); it != exact_outputs.end()) return &it->second;
  for (const auto& [n, series] : outputs)
    if (n == name) return &series;
  return nullptr;
}

ta::columns columns_of(const std::vector<double>& open, const std::vector<double>& high,
                       const std::vector<double>& low, const std::vector<double>& close,
                       const std::vector<double>& volume) {
  ta::columns c;
  c.open = open.data();
  c.high = high.data();
  c.low = low.data();
  c.close = close.data();
  c.volume = volume.data();
  c.size = close.size();
  return c;
}

ta::columns fixture::columns() const {
  ta::columns c = columns_of(open, high, low, close, volume);
  c.open_time = open_time.data();
  return c;
}

bool load_fixture(const std::string& path, fixture& out, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (auto e = parser.load(path).get(doc))
    return error = path + ": " + simdjson::error_message(e), false;
  std::string_view id;
  if (doc["id"].get_string().get(id) == simdjson::SUCCESS) out.id = std::string(id);
  simdjson::dom::object input;
  if (doc["input"].get_object().get(input)) return error = path + ": no input object", false;
  auto column = [&](const char* name, std::vector<double>& v) {
    simdjson::dom::element e;
    return input[name].get(e) == simdjson::SUCCESS && read_series(e, v);
  };
  if (!column("open", out.open) || !column("high", out.high) || !column("low", out.low) ||
      !column("close", out.close) || !column("volume", out.volume))
    return error = path + ": bad input columns", false;
  simdjson::dom::array times;
  if (input["open_time"].get_array().get(times) == simdjson::SUCCESS)
    for (simdjson::dom::element t : times) {
      int64_t v;
      if (t.get_int64().get(v)) return error = path + ": bad open_time", false;
      out.open_time.push_back(v);
    }
  const std::size_t n = out.close.size();
  if (out.open.size() != n || out.high.size() != n || out.low.size() != n ||
      out.volume.size() != n || (!out.open_time.empty() && out.open_time.size() != n))
    return error = path + ": input columns differ in length", false;
  if (out.open_time.empty()) out.open_time.assign(n, 0);
  simdjson::dom::object indicators;
  if (doc["indicators"].get_object().get(indicators))
    return error = path + ": no indicators object", false;
  for (auto [key, value] : indicators) {
    simdjson::dom::object o;
    if (value.get_object().get(o))
      return error = path + ": indicator " + std::string(key) + " is not an object", false;
    fixture_indicator ind;
    if (!read_indicator(key, o, ind, error)) return false;
    out.indicators.push_back(std::move(ind));
  }
  return true;
}

}  // namespace vyx::test
