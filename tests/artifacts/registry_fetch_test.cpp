// Traders from the Postgres registry on a machine without a compiler: the
// registry's compile_service_client has the real `vyxc serve` build them and
// loads only verified artifacts. A trader whose artifact was altered after
// signing is refused, the refusal lands in trader_runtime_status (the
// platform's status table), and the other trader is loaded.
#include <doctest/doctest.h>

#include "artifact_test_support.hpp"
#include "platform_db.hpp"
#include "vyx/runtime/registry/compile_service_client.hpp"
#include "vyx/runtime/registry/trader_registry.hpp"

using namespace vyx::test;
using namespace vyx::runtime;
namespace fs = std::filesystem;

namespace {

std::string filter_json(const std::string& code) {
  return "{\"code\":" + json_string(code) + "}";
}

}  // namespace

TEST_CASE("registry traders: verified artifacts load, a tampered one is refused into its status") {
  const fs::path dir = make_temp_dir("vyx-registry-artifacts-test");
  key_on_disk key(dir);
  server_process server(secured({"--signing-key", key.file.string()}));
  pg_cluster db;
  apply_platform_schema(db);
  apply_migrations(db);
  const auto user = create_user(db, "artifacts");
  const std::string good_code = good_trader("registry good");
  const std::string bad_code = good_trader("registry tampered");
  const auto good = insert_trader(db, user.id, "good", filter_json(good_code));
  const auto bad = insert_trader(db, user.id, "tampered", filter_json(bad_code));

  // Build the second trader once as the registry will (same request), then
  // alter its artifact on the service: the service's cache now serves other
  // bytes under the signed hash.
  {
    compile_service_client first(
        machine_config(server.port(), key.key.public_key_base64(), dir / "first-machine"));
    trader_record record;
    record.id = bad;
    record.language = "cpp";
    record.code = bad_code;
    const auto build = first.build(record);
    REQUIRE_MESSAGE(build.ok, build.error);
    flip_last_byte(server.cache_dir() / build.plugin.filename());
  }

  compile_service_client client(
      machine_config(server.port(), key.key.public_key_base64(), dir / "machine"));
  registry_options options;
  options.database.url = db.url(user.role);  // the machine's own role
  options.user_id = user.id;
  trader_registry registry(options, client, [](std::vector<trader_spec>) {});
  std::string error;
  const auto specs = registry.load(error);
  REQUIRE_MESSAGE(error.empty(), error);
  REQUIRE(specs.size() == 1);  // the refused trader has no build to run
  CHECK(specs[0].id == good);
  CHECK(specs[0].plugin_path.parent_path() == dir / "machine");
  CHECK(fs::exists(specs[0].plugin_path));

  const auto status = [&](const std::string& trader, const std::string& column) {
    return db.query_value(
        "SELECT " + column +
        " FROM public.trader_runtime_status WHERE trader_id = " + sql_quote(trader));
  };
  CHECK(status(good, "state") == "starting");
  CHECK(status(good, "coalesce(last_error, '')").empty());
  CHECK(status(bad, "state") == "compile_failed");  // refused, and no earlier build to keep
  const auto reason = status(bad, "last_error");
  CHECK_MESSAGE(reason.find("refused: bad signature") != std::string::npos, reason);
  // Nothing unverified reached the machine's cache.
  std::size_t cached = 0;
  for (const auto& entry : fs::directory_iterator(dir / "machine"))
    cached += entry.path().extension() == ".so";
  CHECK(cached == 1);
  server.terminate();
  fs::remove_all(dir);
}
