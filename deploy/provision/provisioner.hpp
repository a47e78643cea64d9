// What `vyx-provision` does, step by step and safe to repeat: each step
// first looks at what exists (row, app, machine, role) and only adds or
// updates what is missing or stale, so a retry after any failure converges.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fly_apps_table.hpp"
#include "machines_api.hpp"

namespace vyx::provision {

struct provision_settings {
  std::string user_id;
  std::string image;
  std::string org_slug = "personal";
  std::string region = "sin";
  unsigned cpus = 2, memory_mb = 512;
  std::vector<std::string> cmd;
  // The machine's environment before DATABASE_URL (platform names and ours).
  std::vector<std::pair<std::string, std::string>> env;
  // How the machine reaches the database: "{role}" and "{password}" are
  // replaced (e.g. postgresql://{role}:{password}@db.X.supabase.co:6543/postgres?sslmode=verify-full).
  // Empty: no per-machine role, no DATABASE_URL.
  std::string machine_database_url;
  int wait_seconds = 60;
};

struct provision_outcome {
  std::string app, machine_id, state;
  bool created_app = false, created_machine = false;
};

// `vyx-user-` + 8 hex digits of SHA-256(user id): the same user always gets
// the same name, which is what makes a retry find its own app.
std::string app_name_for(const std::string& user_id);
std::string role_name_for(const std::string& app);
bool is_uuid(const std::string& text);

class provisioner {
 public:
  // Progress lines go to `log` (already free of secrets).
  provisioner(machines_api& api, fly_apps_table& table, std::function<void(const std::string&)> log);

  provision_outcome provision(const provision_settings& settings);
  void deprovision(const std::string& user_id);
  // Reads the machine's checks, records health_status; true when healthy.
  bool check(const std::string& user_id);

 private:
  machines_api& api_;
  fly_apps_table& table_;
  std::function<void(const std::string&)> log_;
};

}  // namespace vyx::provision
