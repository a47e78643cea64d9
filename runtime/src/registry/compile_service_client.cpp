// The compile service's client: the compile request (http_exchange, http or
// https), then the signed artifact through the verifying fetcher.
#include "vyx/runtime/registry/compile_service_client.hpp"

#include <simdjson.h>

#include <algorithm>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {

namespace {

std::string json_string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ",\"" : "\"") + json_escape(items[i]) + "\"";
  return out + "]";
}

std::string compile_body(const trader_record& trader) {
  std::string body = "{\"language\":\"" + json_escape(trader.language) + "\",\"name\":\"" +
                     json_escape(trader.id) + "\",\"code\":\"" + json_escape(trader.code) + "\"";
  if (trader.language == "go" && !trader.series_code.empty())
    body += ",\"seriesCode\":\"" + json_escape(trader.series_code) + "\"";
  if (!trader.required_timeframes.empty())
    body += ",\"requiredTimeframes\":" + json_string_list(trader.required_timeframes);
  return body + "}";
}

}  // namespace

compile_service_client::compile_service_client(artifact_source_config config,
                                               std::chrono::milliseconds compile_timeout)
    : fetcher_(std::move(config)), compile_timeout_(compile_timeout) {}

trader_build compile_service_client::build_it_(const trader_record& trader) {
  trader_build build;
  http_client_request request;
  request.method = "POST";
  request.target = "/v1/compile";
  request.content_type = "application/json";
  request.bearer_token = fetcher_.config().token;
  request.body = compile_body(trader);
  auto limits = fetcher_.config().limits;
  limits.timeout = std::max(limits.timeout, compile_timeout_);  // a cold compile takes seconds
  const auto compiled = http_exchange(fetcher_.service_url(), request, limits);
  if (!compiled.error.empty()) {
    build.error = "compile service unreachable: " + compiled.error;
    return build;
  }
  if (compiled.status == 401) {
    build.error = "the compile service refused VYX_COMPILER_TOKEN";
    return build;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element answer;
  if (parser.parse(compiled.body).get(answer)) {
    build.error = "compile service answered " + std::to_string(compiled.status) + " with non-JSON";
    return build;
  }
  if (compiled.status != 200) {
    std::string_view message = "(no message)";
    if (answer["error"]["message"].get_string().get(message)) message = "(no message)";
    build.error = "compile service refused (" + std::to_string(compiled.status) +
                  "): " + std::string(message);
    return build;
  }
  bool ok = false;
  if (answer["ok"].get_bool().get(ok)) ok = false;  // absent: not built
  if (!ok) {
    simdjson::dom::array diagnostics;
    if (!answer["diagnostics"].get_array().get(diagnostics))
      for (auto d : diagnostics) {
        std::string_view message;
        std::int64_t line = 0, column = 0;
        if (d["message"].get_string().get(message)) message = {};  // absent: the default
        if (d["line"].get_int64().get(line)) line = 0;
        if (d["column"].get_int64().get(column)) column = 0;
        build.error += std::to_string(line) + ":" + std::to_string(column) + ": " +
                       std::string(message) + "\n";
      }
    if (build.error.empty()) build.error = "does not compile";
    return build;
  }
  std::string_view hash;
  if (answer["hash"].get_string().get(hash) || hash.size() != 64) {
    build.error = "compile service answered without a hash";
    return build;
  }
  std::int64_t history = 0;
  if (answer["metadata"]["historyBars"].get_int64().get(history)) history = 0;  // absent: none
  build.history_bars = static_cast<std::uint32_t>(std::max<std::int64_t>(history, 0));
  // Cached copies are verified again; a fresh one only enters the cache once it passed.
  auto plugin = fetcher_.fetch(std::string(hash), build.error);
  if (!plugin) return build;
  build.plugin = *plugin;
  build.ok = true;
  return build;
}

}  // namespace vyx::runtime
