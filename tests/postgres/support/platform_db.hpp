// The platform's schema and our migrations on a test cluster, plus the rows
// most tests need (users, a fly app, machine roles).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "pg_cluster.hpp"

namespace vyx::test {

// tests/data/postgres/platform_schema.sql
void apply_platform_schema(const pg_cluster& cluster);
// deploy/supabase/migrations/*.sql in name order, each in one transaction.
std::vector<std::filesystem::path> migration_files();
void apply_migrations(const pg_cluster& cluster);

// A user with a fly app row and a machine role `vyx_m_<tag>` mapped to it.
struct platform_user {
  std::string id;          // auth.users.id
  std::string fly_app_id;  // user_fly_apps.id
  std::string fly_app_name;
  std::string role;  // the machine's login role
};
platform_user create_user(const pg_cluster& cluster, const std::string& tag);

// A trader row; returns its id. `filter` is the jsonb literal stored.
std::string insert_trader(const pg_cluster& cluster, const std::string& user_id,
                          const std::string& name, const std::string& filter_json,
                          const std::string& language = "cpp", bool built_in = false);

// SQL string literal.
std::string sql_quote(const std::string& text);

}  // namespace vyx::test
