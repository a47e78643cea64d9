// The machine a user gets, as the Machines API's create/update request body:
// the platform's shape (PLATFORM.md, provisioning) plus what it lacks (an
// HTTP health check, autostop off, the command, our environment).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vyx::provision {

struct machine_settings {
  std::string app;
  std::string region = "sin";
  std::string image;
  unsigned cpus = 2;
  unsigned memory_mb = 512;
  std::vector<std::pair<std::string, std::string>> env;  // in this order
  std::vector<std::string> cmd;                          // empty: the image's CMD
  std::string user_id;                                   // recorded in the metadata
};

std::string machine_name(const std::string& app);  // "{app}-main", as the platform names it

// {"name", "region", "config": {...}}
std::string machine_request_json(const machine_settings& settings);

}  // namespace vyx::provision
