// Builds the Machines API request for a user's machine (see machine_config.hpp).
#include "machine_config.hpp"

#include <sstream>

#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::provision {

namespace {
std::string quoted(const std::string& text) {
  return "\"" + runtime::json_escape(text) + "\"";
}
}  // namespace

std::string machine_name(const std::string& app) {
  return app + "-main";
}

std::string machine_request_json(const machine_settings& s) {
  std::ostringstream out;
  out << "{\"name\":" << quoted(machine_name(s.app)) << ",\"region\":" << quoted(s.region)
      << ",\"config\":{\"image\":" << quoted(s.image) << ",\"auto_destroy\":false"
      << ",\"restart\":{\"policy\":\"always\"}"
      << ",\"guest\":{\"cpu_kind\":\"shared\",\"cpus\":" << s.cpus
      << ",\"memory_mb\":" << s.memory_mb << "},\"env\":{";
  for (std::size_t i = 0; i < s.env.size(); ++i)
    out << (i ? "," : "") << quoted(s.env[i].first) << ':' << quoted(s.env[i].second);
  out << '}';
  if (!s.cmd.empty()) {
    out << ",\"init\":{\"cmd\":[";
    for (std::size_t i = 0; i < s.cmd.size(); ++i) out << (i ? "," : "") << quoted(s.cmd[i]);
    out << "]}";
  }
  // The platform's services (80 http, 443 tls+http -> 8080), with autostop
  // off: a screener that Fly stops for being idle screens nothing.
  out << ",\"services\":[{\"protocol\":\"tcp\",\"internal_port\":8080,\"autostop\":\"off\","
         "\"autostart\":true,\"min_machines_running\":1,\"ports\":["
         "{\"port\":80,\"handlers\":[\"http\"],\"force_https\":true},"
         "{\"port\":443,\"handlers\":[\"tls\",\"http\"]}]}]";
  // The health check the platform's machines lack.
  out << ",\"checks\":{\"health\":{\"type\":\"http\",\"port\":8080,\"method\":\"GET\","
         "\"path\":\"/health\",\"interval\":\"15s\",\"timeout\":\"5s\",\"grace_period\":\"30s\"}}";
  out << ",\"metadata\":{\"vyx_user_id\":" << quoted(s.user_id) << "}}}";
  return out.str();
}

}  // namespace vyx::provision
