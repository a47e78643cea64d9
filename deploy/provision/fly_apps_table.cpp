// user_fly_apps and the machine-role hook through libpqxx (see fly_apps_table.hpp).
#include "fly_apps_table.hpp"

#include <pqxx/pqxx>

#include <stdexcept>

namespace vyx::provision {

struct fly_apps_table::impl {
  explicit impl(const std::string& url) : connection(url) {}
  pqxx::connection connection;
};

namespace {

// A failed call of a hook function the migrations should have created is a
// deployment mistake; say which.
[[noreturn]] void hook_failed(const std::string& function, const pqxx::sql_error& e) {
  if (e.sqlstate() == "42883" || e.sqlstate() == "42P01" || e.sqlstate() == "3F000")
    throw std::runtime_error("database function " + function +
                             " is missing: apply deploy/supabase/migrations/0004_machine_roles.sql "
                             "(deploy/README.md)");
  throw std::runtime_error(function + " failed: SQLSTATE " + e.sqlstate());
}

}  // namespace

fly_apps_table::fly_apps_table(const std::string& database_url) {
  try {
    impl_ = std::make_unique<impl>(database_url);
  } catch (const std::exception&) {
    // libpq's message may quote the connection string: never pass it on.
    throw std::runtime_error("cannot connect to DATABASE_URL");
  }
}

fly_apps_table::~fly_apps_table() = default;

std::optional<fly_app_row> fly_apps_table::find(const std::string& user_id) {
  pqxx::work tx(impl_->connection);
  auto rows = tx.exec_params(
      "SELECT fly_app_name, status, coalesce(docker_image, '') FROM user_fly_apps "
      "WHERE user_id = $1::uuid",
      user_id);
  tx.commit();
  if (rows.empty()) return std::nullopt;
  return fly_app_row{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(),
                     rows[0][2].as<std::string>()};
}

std::string fly_apps_table::claim(const app_claim& c) {
  pqxx::work tx(impl_->connection);
  auto row = tx.exec_params1(
      "INSERT INTO user_fly_apps (user_id, fly_app_name, fly_org_slug, status, region, "
      "docker_image, cpu_count, memory_mb, health_status) "
      "VALUES ($1::uuid, $2, $3, 'provisioning', $4, $5, $6, $7, 'unknown') "
      "ON CONFLICT (user_id) DO UPDATE SET status = 'provisioning', region = EXCLUDED.region, "
      "docker_image = EXCLUDED.docker_image, cpu_count = EXCLUDED.cpu_count, "
      "memory_mb = EXCLUDED.memory_mb, error_message = NULL "
      "RETURNING fly_app_name",
      c.user_id, c.app, c.org_slug, c.region, c.image, static_cast<int>(c.cpus),
      static_cast<int>(c.memory_mb));
  tx.commit();
  return row[0].as<std::string>();
}

void fly_apps_table::mark_active(const std::string& user_id, const std::string& image) {
  pqxx::work tx(impl_->connection);
  tx.exec_params0(
      "UPDATE user_fly_apps SET status = 'active', docker_image = $2, deployed_at = now(), "
      "error_message = NULL WHERE user_id = $1::uuid",
      user_id, image);
  tx.commit();
}

void fly_apps_table::mark_error(const std::string& user_id, const std::string& message) {
  pqxx::work tx(impl_->connection);
  tx.exec_params0(
      "UPDATE user_fly_apps SET status = 'error', error_message = $2 WHERE user_id = $1::uuid",
      user_id, message);
  tx.commit();
}

void fly_apps_table::mark_status(const std::string& user_id, const std::string& status) {
  pqxx::work tx(impl_->connection);
  tx.exec_params0("UPDATE user_fly_apps SET status = $2 WHERE user_id = $1::uuid", user_id, status);
  tx.commit();
}

void fly_apps_table::mark_health(const std::string& user_id, bool healthy) {
  pqxx::work tx(impl_->connection);
  tx.exec_params0(
      "UPDATE user_fly_apps SET health_status = $2, last_health_check = now() "
      "WHERE user_id = $1::uuid",
      user_id, healthy ? "healthy" : "unhealthy");
  tx.commit();
}

void fly_apps_table::ensure_machine_role(const std::string& user_id, const std::string& role,
                                         const std::string& password) {
  try {
    pqxx::work tx(impl_->connection);
    tx.exec_params("SELECT vyx.create_machine_role($1::name, $2::uuid, $3)", role, user_id,
                   password);
    tx.commit();
  } catch (const pqxx::sql_error& e) {
    hook_failed("vyx.create_machine_role", e);
  }
}

void fly_apps_table::drop_machine_role(const std::string& role) {
  try {
    pqxx::work tx(impl_->connection);
    tx.exec_params0("DELETE FROM vyx.machine_roles WHERE role_name = $1::name", role);
    // DROP ROLE takes no parameters; the name is ours (role_name_for) and quoted all the same.
    tx.exec0("DROP ROLE IF EXISTS " + tx.quote_name(role));
    tx.commit();
  } catch (const pqxx::sql_error& e) {
    hook_failed("DROP ROLE (vyx.machine_roles)", e);
  }
}

}  // namespace vyx::provision
