// Platform fixture and migration helpers for the Postgres tests.
#include "platform_db.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vyx::test {
namespace fs = std::filesystem;

std::string sql_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

void apply_platform_schema(const pg_cluster& cluster) {
  cluster.exec_file(fs::path(VYX_TEST_DATA_DIR) / "postgres" / "platform_schema.sql");
}

std::vector<fs::path> migration_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(VYX_MIGRATIONS_DIR))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

void apply_migrations(const pg_cluster& cluster) {
  for (const auto& file : migration_files()) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    try {
      cluster.exec("BEGIN;\n" + text.str() + "\nCOMMIT;");
    } catch (const std::exception& e) {
      throw std::runtime_error(file.filename().string() + ": " + e.what());
    }
  }
}

platform_user create_user(const pg_cluster& cluster, const std::string& tag) {
  platform_user user;
  user.id = cluster.query_value("INSERT INTO auth.users (email) VALUES (" +
                                sql_quote(tag + "@example.com") + ") RETURNING id");
  cluster.exec("INSERT INTO public.user_profiles (id, email) VALUES (" + sql_quote(user.id) + ", " +
               sql_quote(tag + "@example.com") + ")");
  user.fly_app_name = "vyx-user-" + tag;
  user.fly_app_id = cluster.query_value(
      "INSERT INTO public.user_fly_apps (user_id, fly_app_name, status) VALUES (" +
      sql_quote(user.id) + ", " + sql_quote(user.fly_app_name) + ", 'active') RETURNING id");
  user.role = "vyx_m_" + tag;
  cluster.exec("SELECT vyx.create_machine_role(" + sql_quote(user.role) + ", " +
               sql_quote(user.id) + ", 'unused-with-trust')");
  return user;
}

std::string insert_trader(const pg_cluster& cluster, const std::string& user_id,
                          const std::string& name, const std::string& filter_json,
                          const std::string& language, bool built_in) {
  return cluster.query_value(
      "INSERT INTO public.traders (user_id, name, filter, language, is_built_in) VALUES (" +
      (user_id.empty() ? std::string("NULL") : sql_quote(user_id)) + ", " + sql_quote(name) +
      ", " + sql_quote(filter_json) + "::jsonb, " + sql_quote(language) + ", " +
      (built_in ? "true" : "false") + ") RETURNING id");
}

}  // namespace vyx::test
