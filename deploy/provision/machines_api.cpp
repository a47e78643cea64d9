// Fly Machines API client (see machines_api.hpp).
#include "machines_api.hpp"

#include <simdjson.h>

#include <stdexcept>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::provision {

namespace {

std::string field_or_empty(simdjson::dom::element object, std::string_view key) {
  std::string_view value;
  if (object[key].get(value)) return {};
  return std::string(value);
}

machine_summary summary_of(simdjson::dom::element machine) {
  machine_summary m;
  m.id = field_or_empty(machine, "id");
  m.name = field_or_empty(machine, "name");
  m.state = field_or_empty(machine, "state");
  simdjson::dom::element config;
  if (!machine["config"].get(config)) m.image = field_or_empty(config, "image");
  simdjson::dom::array checks;
  if (!machine["checks"].get(checks))
    for (auto check : checks) {
      ++m.checks;
      if (field_or_empty(check, "status") != "passing")
        m.failing.push_back(field_or_empty(check, "name"));
    }
  return m;
}

}  // namespace

machines_api::machines_api(const std::string& base, std::string token) : token_(std::move(token)) {
  std::string error;
  auto url = runtime::parse_http_url(base, error);
  if (!url) throw std::runtime_error("FLY_API_HOSTNAME: " + error);
  url_ = *url;
  if (token_.empty()) throw std::runtime_error("FLY_API_TOKEN is not set");
}

api_result machines_api::call(const std::string& method, const std::string& path,
                              const std::string& body) {
  runtime::http_client_request request;
  request.method = method;
  request.target = "/v1" + path;
  request.bearer_token = token_;
  if (method == "POST") {
    request.body = body;
    request.content_type = "application/json";
  }
  runtime::http_client_limits limits;
  limits.timeout = std::chrono::seconds(90);  // a /wait call blocks up to 60 s server-side
  limits.body_limit = 4 << 20;
  const auto response = runtime::http_exchange(url_, request, limits);
  api_result result;
  result.status = response.status;
  result.body = response.body;
  if (!response.error.empty()) {
    result.error = method + " " + path + ": " + response.error;
    return result;
  }
  result.ok = response.status >= 200 && response.status < 300;
  if (!result.ok) {
    // Fly answers {"error": "..."}; the text is the API's, never our request.
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    std::string_view message;
    result.error = method + " " + path + ": HTTP " + std::to_string(response.status);
    if (!parser.parse(response.body).get(root) && !root["error"].get(message))
      result.error += ": " + std::string(message);
  }
  return result;
}

void machines_api::fail(const std::string& what, const api_result& result) {
  throw std::runtime_error(what + " failed: " + result.error);
}

bool machines_api::app_exists(const std::string& app) {
  const auto result = call("GET", "/apps/" + app);
  if (result.ok) return true;
  if (result.status == 404) return false;
  fail("looking up app " + app, result);
}

void machines_api::create_app(const std::string& app, const std::string& org_slug) {
  const auto result =
      call("POST", "/apps",
           "{\"app_name\":\"" + runtime::json_escape(app) + "\",\"org_slug\":\"" +
               runtime::json_escape(org_slug) + "\"}");
  if (!result.ok) fail("creating app " + app, result);
}

std::vector<machine_summary> machines_api::list_machines(const std::string& app) {
  const auto result = call("GET", "/apps/" + app + "/machines");
  if (!result.ok) fail("listing machines of " + app, result);
  simdjson::dom::parser parser;
  simdjson::dom::array machines;
  if (parser.parse(result.body).get(machines))
    throw std::runtime_error("listing machines of " + app + ": the answer is not a JSON array");
  std::vector<machine_summary> out;
  for (auto machine : machines) out.push_back(summary_of(machine));
  return out;
}

machine_summary machines_api::get_machine(const std::string& app, const std::string& id) {
  const auto result = call("GET", "/apps/" + app + "/machines/" + id);
  if (!result.ok) fail("reading machine " + id, result);
  simdjson::dom::parser parser;
  simdjson::dom::element machine;
  if (parser.parse(result.body).get(machine))
    throw std::runtime_error("reading machine " + id + ": the answer is not JSON");
  return summary_of(machine);
}

std::string machines_api::create_machine(const std::string& app, const std::string& body) {
  const auto result = call("POST", "/apps/" + app + "/machines", body);
  if (!result.ok) fail("creating the machine of " + app, result);
  simdjson::dom::parser parser;
  simdjson::dom::element machine;
  std::string_view id;
  if (parser.parse(result.body).get(machine) || machine["id"].get(id))
    throw std::runtime_error("creating the machine of " + app + ": no machine id in the answer");
  return std::string(id);
}

void machines_api::update_machine(const std::string& app, const std::string& id,
                                  const std::string& body) {
  const auto result = call("POST", "/apps/" + app + "/machines/" + id, body);
  if (!result.ok) fail("updating machine " + id, result);
}

void machines_api::wait_for(const std::string& app, const std::string& id, const std::string& state,
                            int timeout_seconds) {
  const auto result = call("GET", "/apps/" + app + "/machines/" + id + "/wait?state=" + state +
                                      "&timeout=" + std::to_string(timeout_seconds));
  if (!result.ok) fail("waiting for machine " + id + " to be " + state, result);
}

void machines_api::delete_machine(const std::string& app, const std::string& id) {
  const auto result = call("DELETE", "/apps/" + app + "/machines/" + id + "?force=true");
  if (!result.ok && result.status != 404) fail("deleting machine " + id, result);
}

void machines_api::delete_app(const std::string& app) {
  const auto result = call("DELETE", "/apps/" + app);
  if (!result.ok && result.status != 404) fail("deleting app " + app, result);
}

}  // namespace vyx::provision
