// The Fly Machines API calls provisioning needs (https://api.machines.dev/v1),
// one method per call; every answer is checked here and turned into a result
// or an error that names the call (never the token or a request body).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vyx/runtime/net/http_client.hpp"

namespace vyx::provision {

struct machine_summary {
  std::string id;
  std::string name;
  std::string state;                 // created, started, stopped, ...
  std::string image;                 // config.image
  std::vector<std::string> failing;  // names of checks whose status is not "passing"
  std::size_t checks = 0;
};

struct api_result {
  bool ok = false;
  unsigned status = 0;  // HTTP status (0: no answer)
  std::string error;    // what failed, for the operator
  std::string body;
};

class machines_api {
 public:
  // base: e.g. https://api.machines.dev (FLY_API_HOSTNAME); token: FLY_API_TOKEN.
  machines_api(const std::string& base, std::string token);

  // nullopt: no such app; throws on any other failure.
  bool app_exists(const std::string& app);
  void create_app(const std::string& app, const std::string& org_slug);
  std::vector<machine_summary> list_machines(const std::string& app);
  machine_summary get_machine(const std::string& app, const std::string& id);
  // `body` is the whole request: {"name", "region", "config"}. Returns the machine id.
  std::string create_machine(const std::string& app, const std::string& body);
  void update_machine(const std::string& app, const std::string& id, const std::string& body);
  // Blocks (server side) until the machine reaches `state` or the timeout.
  void wait_for(const std::string& app, const std::string& id, const std::string& state,
                int timeout_seconds);
  // Both treat "already gone" (404) as done.
  void delete_machine(const std::string& app, const std::string& id);
  void delete_app(const std::string& app);

 private:
  api_result call(const std::string& method, const std::string& path, const std::string& body = {});
  [[noreturn]] void fail(const std::string& what, const api_result& result);

  runtime::http_url url_;
  std::string token_;
};

}  // namespace vyx::provision
