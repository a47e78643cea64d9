// `vyx run` as a machine runs it: no local compiler in play, traders compiled
// by and fetched from the real `vyxc serve`, each artifact verified; a refused
// one is recorded in that trader's status while the others screen.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <fstream>

#include "artifact_test_support.hpp"
#include "support/child_process.hpp"
#include "vyx/runtime/sinks/sqlite_sink.hpp"

using namespace vyx::test;
namespace fs = std::filesystem;

namespace {

// Signals on every evaluation: the run's output proves the trader ran.
const std::string always_trader =
    "bool filter(const vyx::Market& m) { return m.klines(\"1m\").size() > 0; }\n";

int run_to_end(std::vector<std::string> argv, const fs::path& out, std::string& err) {
  child_process child(std::move(argv), out);
  const int status = child.wait_exit();
  err = child.stderr_text();
  return status;
}

}  // namespace

TEST_CASE("vyx run loads verified artifacts and records a refused one in its status") {
  const fs::path dir = make_temp_dir("vyx-remote-run-test");
  key_on_disk key(dir);
  server_process server(secured({"--signing-key", key.file.string()}));
  std::string err;
  REQUIRE(run_to_end({VYX_GEN_MARKET, "--out", (dir / "market").string(), "--symbols", "3",
                      "--days", "1"},
                     dir / "gen.out", err) == 0);

  fs::create_directories(dir / "traders");
  // Compiled by the service on the machine's request.
  std::ofstream(dir / "traders/always.cpp") << always_trader;
  // Pinned by hash: one intact, one altered on the service after signing.
  const auto pinned = compile_hash(server.port(), good_trader("pinned"));
  const auto altered = compile_hash(server.port(), good_trader("altered"));
  flip_last_byte(server.cache_dir() / (altered + ".so"));
  std::ofstream(dir / "traders/pinned.hash") << pinned << '\n';
  std::ofstream(dir / "traders/altered.hash") << altered << '\n';

  const std::string url = "VYX_COMPILER_URL=http://127.0.0.1:" + std::to_string(server.port());
  const int status = run_to_end(
      {"/usr/bin/env", url, "VYX_COMPILER_TOKEN=" + service_token,
       "VYX_ARTIFACT_PUBLIC_KEY=" + key.key.public_key_base64(),
       "VYX_ARTIFACT_CACHE=" + (dir / "artifacts").string(), VYX_COMMAND, "run", "--replay",
       (dir / "market").string(), "--traders", (dir / "traders").string(), "--port", "0",
       "--address", "127.0.0.1", "--speed", "0", "--to", "2024-03-01T02:00Z", "--db",
       (dir / "vyx.db").string(), "--exit-at-end"},
      dir / "run.out", err);
  REQUIRE_MESSAGE(WIFEXITED(status), err);
  CHECK_MESSAGE(WEXITSTATUS(status) == 0, err);

  std::map<std::string, vyx::runtime::stored_status> by_id;
  for (auto& s : vyx::runtime::read_statuses(dir / "vyx.db")) by_id[s.status.id] = s;
  REQUIRE(by_id.size() == 3);
  CHECK(by_id["always"].status.loaded);
  CHECK(by_id["always"].signals > 0);  // the other traders kept running
  CHECK(by_id["pinned"].status.loaded);
  CHECK_FALSE(by_id["altered"].status.loaded);
  CHECK_MESSAGE(by_id["altered"].status.reason.find("refused: bad signature") != std::string::npos,
                by_id["altered"].status.reason);
  CHECK(err.find("refused: bad signature") != std::string::npos);
  // Only verified artifacts reached the machine's cache.
  CHECK(fs::exists(dir / "artifacts" / (pinned + ".so")));
  CHECK_FALSE(fs::exists(dir / "artifacts" / (altered + ".so")));
  server.terminate();
  fs::remove_all(dir);
}

TEST_CASE("vyx run refuses to start with a compile service but no public key") {
  const fs::path dir = make_temp_dir("vyx-remote-run-test");
  fs::create_directories(dir / "traders");
  fs::create_directories(dir / "market");
  std::string err;
  const int status =
      run_to_end({"/usr/bin/env", "VYX_COMPILER_URL=http://127.0.0.1:9", "VYX_ARTIFACT_PUBLIC_KEY=",
                  VYX_COMMAND, "run", "--replay", (dir / "market").string(), "--traders",
                  (dir / "traders").string(), "--port", "0", "--exit-at-end"},
                 dir / "run.out", err);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) != 0);
  CHECK(err.find("VYX_ARTIFACT_PUBLIC_KEY is not") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("vyx healthcheck: 0 for a healthy service, 1 when nothing answers") {
  server_process server(secured());
  const fs::path dir = make_temp_dir("vyx-healthcheck-test");
  std::string err;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/health";
  int status = run_to_end({VYX_COMMAND, "healthcheck", url}, dir / "out", err);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(server.terminate() == 0);
  status = run_to_end({VYX_COMMAND, "healthcheck", url, "--timeout-ms", "2000"}, dir / "out", err);
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(err.find("connect to 127.0.0.1") != std::string::npos);
  fs::remove_all(dir);
}
