// The platform's `user_fly_apps` row of a user, and the per-machine database
// role, over one admin connection (DATABASE_URL of the provisioner, which
// bypasses RLS like the platform's service role). Plain parameterised
// statements (the Supabase pooler supports no named prepared statements).
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace vyx::provision {

struct fly_app_row {
  std::string app;
  std::string status;
  std::string image;
};

struct app_claim {
  std::string user_id, app, org_slug, region, image;
  unsigned cpus = 2, memory_mb = 512;
};

class fly_apps_table {
 public:
  explicit fly_apps_table(const std::string& database_url);
  ~fly_apps_table();

  std::optional<fly_app_row> find(const std::string& user_id);
  // Inserts the row as 'provisioning', or moves an existing one back to it;
  // returns the app name the row holds (an existing row keeps its name).
  std::string claim(const app_claim& claim);
  void mark_active(const std::string& user_id, const std::string& image);
  void mark_error(const std::string& user_id, const std::string& message);
  void mark_status(const std::string& user_id, const std::string& status);
  void mark_health(const std::string& user_id, bool healthy);

  // The per-machine login role of deploy/supabase/migrations/0004_machine_roles.sql:
  // vyx.create_machine_role(role, user, password) creates it (or sets a new
  // password) as a member of vyx_machine and maps it to the user in
  // vyx.machine_roles; RLS then lets it reach only that user's rows.
  void ensure_machine_role(const std::string& user_id, const std::string& role,
                           const std::string& password);
  // Removes the mapping and the role (nothing when both are gone).
  void drop_machine_role(const std::string& role);

 private:
  struct impl;  // the libpqxx connection
  std::unique_ptr<impl> impl_;
};

}  // namespace vyx::provision
