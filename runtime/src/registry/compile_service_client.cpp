// The compile service's client: one synchronous HTTP/1.1 exchange per step (Beast).
#include "vyx/runtime/registry/compile_service_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <simdjson.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

#include "vyx/runtime/market/timeframe.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::runtime {
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

struct reply {
  unsigned status = 0;
  std::string body;
  std::string error;  // transport failure
};

reply exchange(const std::string& host, const std::string& port, http::verb verb,
               const std::string& target, const std::string& token, const std::string& body,
               std::chrono::seconds timeout) {
  reply out;
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(timeout);
    stream.connect(resolver.resolve(host, port));
    http::request<http::string_body> request(verb, target, 11);
    request.set(http::field::host, host);
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (verb == http::verb::post) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
      request.prepare_payload();
    }
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);  // plugins are a few hundred KiB; a bound all the same
    http::read(stream, buffer, parser);
    out.status = parser.get().result_int();
    out.body = std::move(parser.get().body());
    beast::error_code ignored;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

std::string json_string_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? ",\"" : "\"") + json_escape(items[i]) + "\"";
  return out + "]";
}

}  // namespace

compile_service_client::compile_service_client(compile_service_options options)
    : options_(std::move(options)) {
  const std::string scheme = "http://";
  if (options_.url.rfind(scheme, 0) != 0)
    throw std::invalid_argument("VYX_COMPILER_URL must be http://host:port (got '" +
                                options_.url + "')");
  std::string rest = options_.url.substr(scheme.size());
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    prefix_ = rest.substr(slash);
    if (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
    rest = rest.substr(0, slash);
  }
  const auto colon = rest.rfind(':');
  host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
  port_ = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (host_.empty()) throw std::invalid_argument("VYX_COMPILER_URL has no host");
  std::filesystem::create_directories(options_.artifacts);
}

trader_build compile_service_client::build_it_(const trader_record& trader) {
  trader_build build;
  std::string body = "{\"language\":\"" + json_escape(trader.language) + "\",\"name\":\"" +
                     json_escape(trader.id) + "\",\"code\":\"" + json_escape(trader.code) + "\"";
  if (trader.language == "go" && !trader.series_code.empty())
    body += ",\"seriesCode\":\"" + json_escape(trader.series_code) + "\"";
  if (!trader.required_timeframes.empty())
    body += ",\"requiredTimeframes\":" + json_string_list(trader.required_timeframes);
  body += "}";
  reply compiled = exchange(host_, port_, http::verb::post, prefix_ + "/v1/compile",
                            options_.token, body, options_.timeout);
  if (!compiled.error.empty()) {
    build.error = "compile service unreachable: " + compiled.error;
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
    if (answer["error"]["message"].get_string().get(message)) message = {};  // absent: the default
    build.error = "compile service refused (" + std::to_string(compiled.status) +
                  "): " + std::string(message);
    return build;
  }
  bool ok = false;
  if (answer["ok"].get_bool().get(ok)) ok = {};  // absent: the default
  simdjson::dom::array diagnostics;
  if (!ok) {
    if (!answer["diagnostics"].get_array().get(diagnostics))
      for (auto d : diagnostics) {
        std::string_view message;
        std::int64_t line = 0, column = 0;
        if (d["message"].get_string().get(message)) message = {};  // absent: the default
        if (d["line"].get_int64().get(line)) line = {};  // absent: the default
        if (d["column"].get_int64().get(column)) column = {};  // absent: the default
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
  if (answer["metadata"]["historyBars"].get_int64().get(history)) history = {};  // absent: the default
  build.history_bars = static_cast<std::uint32_t>(std::max<std::int64_t>(history, 0));
  build.plugin = options_.artifacts / (std::string(hash) + ".so");
  if (std::filesystem::exists(build.plugin)) {
    build.ok = true;
    return build;
  }
  reply artifact = exchange(host_, port_, http::verb::get,
                            prefix_ + "/v1/artifacts/" + std::string(hash), options_.token, "",
                            options_.timeout);
  if (!artifact.error.empty() || artifact.status != 200 || artifact.body.empty()) {
    build.error = "cannot fetch artifact " + std::string(hash) + ": " +
                  (artifact.error.empty() ? "HTTP " + std::to_string(artifact.status)
                                          : artifact.error);
    return build;
  }
  // Written beside, then renamed: a worker never sees half a plugin.
  const auto partial = build.plugin.string() + ".part" + std::to_string(getpid());
  {
    std::ofstream out(partial, std::ios::binary);
    out.write(artifact.body.data(), static_cast<std::streamsize>(artifact.body.size()));
    if (!out) {
      build.error = "cannot write " + partial;
      return build;
    }
  }
  std::filesystem::rename(partial, build.plugin);
  build.ok = true;
  return build;
}

}  // namespace vyx::runtime
