// `vyx-provision` end to end: the real program against a loopback mock of the
// Fly Machines API (every request's method, path, headers and JSON checked)
// and a real PostgreSQL with the platform schema and our migrations (user_fly_apps,
// vyx.create_machine_role and vyx.machine_roles).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "mock_machines_api.hpp"
#include "platform_db.hpp"
#include "support/child_process.hpp"

using namespace vyx::test;
namespace fs = std::filesystem;

namespace {

const std::string user_id = "5f2b9c1e-8a47-4d3b-9e61-0c7a2d4f8b13";
const std::string fly_token = "fly-token-7a1c9e55d2b84f3e";
const std::string service_key = "supabase-service-key-4c8e1f77a9";
const std::string compiler_token = "compiler-token-3b6d0e9a";
const std::string openrouter_key = "openrouter-key-9d2e4a61";

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The string at a dotted path of a JSON document, or "<missing>".
std::string at(simdjson::dom::element root, const std::string& path) {
  simdjson::dom::element node = root;
  std::istringstream parts(path);
  for (std::string part; std::getline(parts, part, '.');)
    if (node[part].get(node)) return "<missing>";
  if (std::string_view text; !node.get(text)) return std::string(text);
  if (int64_t number = 0; !node.get(number)) return std::to_string(number);
  if (bool flag = false; !node.get(flag)) return flag ? "true" : "false";
  return "<not a scalar>";
}

struct run_result {
  int status = -1;
  std::string out, err;
};

struct fixture {
  pg_cluster db;
  mock_machines_api fly{fly_token};
  fs::path dir;

  // The platform's schema and our migrations, with the machine-role function
  // vyx-provision calls, and the user the machine is for.
  fixture() {
    std::string pattern = (fs::temp_directory_path() / "vyx-provision-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    apply_platform_schema(db);
    apply_migrations(db);
    db.exec("INSERT INTO auth.users (id, email) VALUES (" + sql_quote(user_id) +
            ", 'machine@example.com')");
  }
  ~fixture() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  run_result provision(std::vector<std::string> args) {
    std::vector<std::string> argv = {
        "/usr/bin/env",
        "FLY_API_TOKEN=" + fly_token,
        "FLY_API_HOSTNAME=" + fly.url(),
        "FLY_ORG_SLUG=vyx-org",
        "DATABASE_URL=" + db.url(),
        "VYX_MACHINE_DATABASE_URL=postgresql://{role}:{password}@db.example.supabase.co:6543/"
        "postgres?sslmode=verify-full",
        "SUPABASE_URL=https://example.supabase.co",
        "SUPABASE_SERVICE_KEY=" + service_key,
        "OPENROUTER_API_KEY=" + openrouter_key,
        "VYX_COMPILER_URL=https://vyx-compiler.fly.dev",
        "VYX_COMPILER_TOKEN=" + compiler_token,
        "VYX_ARTIFACT_PUBLIC_KEY=MCowBQYDK2VwAyEAexample",
        VYX_PROVISION};
    argv.insert(argv.end(), args.begin(), args.end());
    child_process child(argv, dir / "stdout.txt");
    run_result r;
    r.status = child.wait_exit();
    r.out = read_text(dir / "stdout.txt");
    r.err = child.stderr_text();
    // No secret in anything the tool printed.
    for (const auto& secret : {fly_token, service_key, compiler_token, openrouter_key})
      CHECK_MESSAGE(
          (r.out.find(secret) == std::string::npos && r.err.find(secret) == std::string::npos),
          "a secret was printed");
    // Nor the machine's connection string with its generated password.
    CHECK_MESSAGE(r.err.find("postgresql://vyx_m_") == std::string::npos, r.err);
    CHECK_MESSAGE(r.out.find("postgresql://vyx_m_") == std::string::npos, r.out);
    return r;
  }

  pqxx::row row() {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    return tx.exec_params1(
        "SELECT fly_app_name, status, coalesce(docker_image,''), deployed_at IS NOT NULL, "
        "coalesce(error_message,''), coalesce(health_status,''), last_health_check IS NOT NULL, "
        "fly_org_slug, region, (SELECT count(*) FROM user_fly_apps) "
        "FROM user_fly_apps WHERE user_id = $1::uuid",
        user_id);
  }
  bool role_exists(const std::string& role) {
    return db.query_value("SELECT count(*) FROM pg_roles WHERE rolname = " + sql_quote(role)) ==
           "1";
  }
  // The role is a vyx_machine member, mapped to the user, and logs in.
  bool role_mapped(const std::string& role) {
    return db.query_value(
               "SELECT count(*) FROM vyx.machine_roles m JOIN pg_roles r ON "
               "r.rolname = m.role_name WHERE m.role_name = " +
               sql_quote(role) + " AND m.user_id = " + sql_quote(user_id) +
               " AND r.rolcanlogin AND pg_has_role(r.oid, 'vyx_machine', 'MEMBER')") == "1";
  }
  void check_mock() {
    for (const auto& p : fly.problems()) FAIL_CHECK(p);
  }
};

// What a create or update request must say.
std::function<std::string(simdjson::dom::element)> machine_body(const std::string& app,
                                                                const std::string& image) {
  return [app, image](simdjson::dom::element b) -> std::string {
    const std::vector<std::pair<std::string, std::string>> want = {
        {"name", app + "-main"},
        {"region", "sin"},
        {"config.image", image},
        {"config.auto_destroy", "false"},
        {"config.restart.policy", "always"},
        {"config.guest.cpu_kind", "shared"},
        {"config.guest.cpus", "2"},
        {"config.guest.memory_mb", "512"},
        {"config.env.USER_ID", user_id},
        {"config.env.RUN_MODE", "user_dedicated"},
        {"config.env.SUPABASE_URL", "https://example.supabase.co"},
        {"config.env.SUPABASE_SERVICE_KEY", service_key},
        {"config.env.OPENROUTER_API_KEY", openrouter_key},
        {"config.env.PORT", "8080"},
        {"config.env.HOST", "0.0.0.0"},
        {"config.env.BINANCE_API_URL", "https://api.binance.com"},
        {"config.env.SYMBOL_COUNT", "100"},
        {"config.env.VYX_COMPILER_URL", "https://vyx-compiler.fly.dev"},
        {"config.env.VYX_COMPILER_TOKEN", compiler_token},
        {"config.env.VYX_ARTIFACT_PUBLIC_KEY", "MCowBQYDK2VwAyEAexample"},
        {"config.checks.health.type", "http"},
        {"config.checks.health.port", "8080"},
        {"config.checks.health.path", "/health"},
        {"config.metadata.vyx_user_id", user_id},
        {"config.init.cmd", "<missing>"}};  // no --cmd: the image's own command
    for (const auto& [path, value] : want)
      if (at(b, path) != value) return path + " is '" + at(b, path) + "', expected '" + value + "'";
    const std::string url = at(b, "config.env.DATABASE_URL");
    const std::string role = "vyx_m_" + app.substr(app.size() - 8);
    if (url.find("postgresql://" + role + ":") != 0 ||
        url.find("@db.example.supabase.co:6543/postgres?sslmode=verify-full") == std::string::npos)
      return "DATABASE_URL does not name the machine's role";
    simdjson::dom::array services, ports;
    if (b["config"]["services"].get(services) || services.size() != 1) return "not one service";
    simdjson::dom::element service = services.at(0);
    if (at(service, "internal_port") != "8080" || at(service, "autostop") != "off" ||
        at(service, "protocol") != "tcp")
      return "service is not tcp 8080 with autostop off";
    if (service["ports"].get(ports) || ports.size() != 2 || at(ports.at(0), "port") != "80" ||
        at(ports.at(1), "port") != "443")
      return "ports are not 80 and 443";
    return "";
  };
}

std::string app_name() {
  static std::string name;
  if (name.empty()) {
    child_process child(
        {VYX_PROVISION, "app-name", "--user-id", user_id},
        fs::temp_directory_path() / ("vyx-provision-name-" + std::to_string(getpid())));
    REQUIRE(child.wait_exit() == 0);
    name =
        read_text(fs::temp_directory_path() / ("vyx-provision-name-" + std::to_string(getpid())));
    fs::remove(fs::temp_directory_path() / ("vyx-provision-name-" + std::to_string(getpid())));
    while (!name.empty() && name.back() == '\n') name.pop_back();
  }
  return name;
}

void expect_create_from_nothing(mock_machines_api& fly, const std::string& app,
                                const std::string& image) {
  fly.expect({"GET", "/v1/apps/" + app, nullptr, 404, "{\"error\":\"Could not find App\"}"});
  fly.expect({"POST", "/v1/apps",
              [app](simdjson::dom::element b) -> std::string {
                if (at(b, "app_name") != app) return "app_name is " + at(b, "app_name");
                if (at(b, "org_slug") != "vyx-org") return "org_slug is " + at(b, "org_slug");
                return "";
              },
              201, "{}"});
  fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, "[]"});
  fly.expect({"POST", "/v1/apps/" + app + "/machines", machine_body(app, image), 200,
              "{\"id\":\"148ed193b95389\",\"name\":\"" + app + "-main\",\"state\":\"created\"}"});
  fly.expect({"GET", "/v1/apps/" + app + "/machines/148ed193b95389/wait?state=started&timeout=60",
              nullptr, 200, "{\"ok\":true}"});
}

std::string machine_list(const std::string& app, const std::string& image) {
  return "[{\"id\":\"148ed193b95389\",\"name\":\"" + app +
         "-main\",\"state\":\"started\",\"config\":{\"image\":\"" + image + "\"}}]";
}

}  // namespace

TEST_CASE("app names are vyx-user- and 8 hex digits, stable per user") {
  const auto name = app_name();
  CHECK(name.size() == 17);
  CHECK(name.rfind("vyx-user-", 0) == 0);
  CHECK(name.find_first_not_of("0123456789abcdef", 9) == std::string::npos);
}

TEST_CASE(
    "create from nothing: app, role, machine with checks, row active, then a retry updates in "
    "place") {
  fixture f;
  const auto app = app_name();
  expect_create_from_nothing(f.fly, app, "registry.fly.io/vyx-runtime:1");
  auto r =
      f.provision({"create", "--user-id", user_id, "--image", "registry.fly.io/vyx-runtime:1"});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  CHECK(r.out.find("\"app\":\"" + app + "\"") != std::string::npos);
  CHECK(r.out.find("\"machine\":\"148ed193b95389\"") != std::string::npos);
  CHECK(r.out.find("\"createdApp\":true") != std::string::npos);
  f.check_mock();
  auto row = f.row();
  CHECK(row[0].as<std::string>() == app);
  CHECK(row[1].as<std::string>() == "active");
  CHECK(row[2].as<std::string>() == "registry.fly.io/vyx-runtime:1");
  CHECK(row[3].as<bool>());
  CHECK(row[7].as<std::string>() == "vyx-org");
  CHECK(row[8].as<std::string>() == "sin");
  CHECK(f.role_mapped("vyx_m_" + app.substr(9)));

  // The same command again, with a new image: nothing is created twice.
  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 200, "{\"name\":\"" + app + "\"}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200,
                machine_list(app, "registry.fly.io/vyx-runtime:1")});
  f.fly.expect({"POST", "/v1/apps/" + app + "/machines/148ed193b95389",
                machine_body(app, "registry.fly.io/vyx-runtime:2"), 200, "{}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines/148ed193b95389/wait?state=started&timeout=60",
                nullptr, 200, "{\"ok\":true}"});
  r = f.provision({"create", "--user-id", user_id, "--image", "registry.fly.io/vyx-runtime:2"});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  CHECK(r.out.find("\"createdApp\":false,\"createdMachine\":false") != std::string::npos);
  f.check_mock();
  row = f.row();
  CHECK(row[1].as<std::string>() == "active");
  CHECK(row[2].as<std::string>() == "registry.fly.io/vyx-runtime:2");
  CHECK(row[9].as<int>() == 1);
}

TEST_CASE("a failure is recorded as error without secrets, and a retry completes") {
  fixture f;
  const auto app = app_name();
  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 404, "{}"});
  f.fly.expect(
      {"POST", "/v1/apps", [](simdjson::dom::element) { return std::string(); }, 201, "{}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, "[]"});
  f.fly.expect({"POST", "/v1/apps/" + app + "/machines", machine_body(app, "img:1"), 422,
                "{\"error\":\"insufficient capacity in sin\"}"});
  auto r = f.provision({"create", "--user-id", user_id, "--image", "img:1"});
  CHECK(WEXITSTATUS(r.status) == 1);
  CHECK(r.err.find("insufficient capacity in sin") != std::string::npos);
  f.check_mock();
  auto row = f.row();
  CHECK(row[1].as<std::string>() == "error");
  CHECK(row[4].as<std::string>().find("HTTP 422: insufficient capacity") != std::string::npos);

  // The retry finds the app it made and creates only the machine.
  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 200, "{}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, "[]"});
  f.fly.expect({"POST", "/v1/apps/" + app + "/machines", machine_body(app, "img:1"), 200,
                "{\"id\":\"148ed193b95389\"}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines/148ed193b95389/wait?state=started&timeout=60",
                nullptr, 200, "{}"});
  r = f.provision({"create", "--user-id", user_id, "--image", "img:1"});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  f.check_mock();
  row = f.row();
  CHECK(row[1].as<std::string>() == "active");
  CHECK(row[4].as<std::string>().empty());
}

TEST_CASE(
    "check records the machine's health, then deprovision removes machine, app and role, twice") {
  fixture f;
  const auto app = app_name();
  expect_create_from_nothing(f.fly, app, "img:1");
  REQUIRE(WEXITSTATUS(f.provision({"create", "--user-id", user_id, "--image", "img:1"}).status) ==
          0);

  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, machine_list(app, "img:1")});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines/148ed193b95389", nullptr, 200,
                "{\"id\":\"148ed193b95389\",\"name\":\"" + app +
                    "-main\",\"state\":\"started\",\"checks\":[{\"name\":\"health\",\"status\":"
                    "\"passing\"}]}"});
  auto r = f.provision({"check", "--user-id", user_id});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  CHECK(f.row()[5].as<std::string>() == "healthy");
  CHECK(f.row()[6].as<bool>());

  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, machine_list(app, "img:1")});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines/148ed193b95389", nullptr, 200,
                "{\"id\":\"148ed193b95389\",\"state\":\"started\",\"checks\":[{\"name\":\"health\","
                "\"status\":\"critical\"}]}"});
  r = f.provision({"check", "--user-id", user_id});
  CHECK(WEXITSTATUS(r.status) == 1);
  CHECK(r.err.find("unhealthy (machine 148ed193b95389 started, 0/1 checks passing)") !=
        std::string::npos);
  CHECK(f.row()[5].as<std::string>() == "unhealthy");

  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 200, "{}"});
  f.fly.expect({"GET", "/v1/apps/" + app + "/machines", nullptr, 200, machine_list(app, "img:1")});
  f.fly.expect(
      {"DELETE", "/v1/apps/" + app + "/machines/148ed193b95389?force=true", nullptr, 200, "{}"});
  f.fly.expect({"DELETE", "/v1/apps/" + app, nullptr, 202, ""});
  r = f.provision({"deprovision", "--user-id", user_id});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  CHECK(f.row()[1].as<std::string>() == "deleted");
  CHECK_FALSE(f.role_exists("vyx_m_" + app.substr(9)));
  CHECK(f.db.query_value("SELECT count(*) FROM vyx.machine_roles") == "0");
  // Again: everything is already gone, which is success.
  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 404, "{}"});
  r = f.provision({"deprovision", "--user-id", user_id});
  CHECK_MESSAGE(WEXITSTATUS(r.status) == 0, r.err);
  CHECK(f.row()[1].as<std::string>() == "deleted");
  f.check_mock();
}

TEST_CASE("bad input and a database without the role hook are clear errors") {
  fixture f;
  auto r = f.provision({"create", "--user-id", "not-a-uuid", "--image", "img"});
  CHECK(WEXITSTATUS(r.status) == 1);
  CHECK(r.err.find("--user-id UUID is required") != std::string::npos);
  r = f.provision({"launch", "--user-id", user_id});
  CHECK(r.err.find("unknown command launch") != std::string::npos);
  f.db.exec("DROP FUNCTION vyx.create_machine_role(name, uuid, text)");
  const auto app = app_name();
  f.fly.expect({"GET", "/v1/apps/" + app, nullptr, 200, "{}"});
  r = f.provision({"create", "--user-id", user_id, "--image", "img:1"});
  CHECK(WEXITSTATUS(r.status) == 1);
  CHECK(r.err.find("database function vyx.create_machine_role is missing") != std::string::npos);
  CHECK(f.row()[1].as<std::string>() == "error");
  f.check_mock();
}
