// A machine fetching artifacts from the real `vyxc serve` on loopback: what
// verifies is cached and loads; tampered, unsigned, wrongly signed,
// mislabelled and unauditable artifacts are refused, each with its reason.
#include <dlfcn.h>
#include <doctest/doctest.h>

#include <fstream>

#include "artifact_test_support.hpp"
#include "vyx/runtime/registry/compile_service_client.hpp"

using namespace vyx::test;
using vyx::runtime::artifact_fetcher;
namespace fs = std::filesystem;

namespace {

struct signed_service {
  fs::path dir = make_temp_dir("vyx-artifacts-test");
  key_on_disk key{dir};
  server_process server{secured({"--signing-key", key.file.string()})};

  ~signed_service() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  artifact_fetcher fetcher(const std::string& public_key = "") {
    return artifact_fetcher(
        machine_config(server.port(), public_key.empty() ? key.key.public_key_base64() : public_key,
                       dir / "machine"));
  }
};

std::string refusal(artifact_fetcher& fetcher, const std::string& hash) {
  std::string error;
  auto path = fetcher.fetch(hash, error);
  CHECK_FALSE(path);
  CHECK_FALSE(fs::exists(fetcher.cache_dir() / (hash + ".so")));
  return error;
}

}  // namespace

TEST_CASE("a signed artifact is fetched, verified, cached, and loads") {
  signed_service service;
  const auto hash = compile_hash(service.server.port(), good_trader("signed"));
  const auto served = http_call(service.server.port(), get("/v1/artifacts/" + hash));
  CHECK(served.status == 200);
  CHECK(served.header("x-vyx-signature").size() == 88);
  CHECK(served.header("x-vyx-signature-key").size() == 16);

  auto fetcher = service.fetcher();
  std::string error;
  auto path = fetcher.fetch(hash, error);
  REQUIRE_MESSAGE(path, error);
  CHECK(*path == fetcher.cache_dir() / (hash + ".so"));
  CHECK(vyx::common::file_sha256_hex(*path) ==
        vyx::common::file_sha256_hex(service.server.cache_dir() / (hash + ".so")));
  void* handle = dlopen(path->c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE(handle);
  CHECK(dlsym(handle, "vyx_plugin_entry") != nullptr);
  dlclose(handle);

  // The cache answers once the service is gone.
  CHECK(service.server.terminate() == 0);
  auto again = fetcher.fetch(hash, error);
  REQUIRE_MESSAGE(again, error);
  CHECK(*again == *path);
  // Something never fetched cannot come from anywhere now.
  CHECK(refusal(fetcher, std::string(64, 'f')).find("compile service unreachable") == 0);
}

TEST_CASE("an artifact altered on the service after signing is refused") {
  signed_service service;
  const auto hash = compile_hash(service.server.port(), good_trader("tampered"));
  flip_last_byte(service.server.cache_dir() / (hash + ".so"));
  auto fetcher = service.fetcher();
  const auto error = refusal(fetcher, hash);
  CHECK(error.find("refused: bad signature") != std::string::npos);
  // A compile of the same code (a cache hit) does not launder it with a fresh signature.
  compile_hash(service.server.port(), good_trader("tampered"));
  CHECK(refusal(fetcher, hash).find("bad signature") != std::string::npos);
}

TEST_CASE("an unsigned artifact is refused") {
  const auto dir = make_temp_dir("vyx-artifacts-test");
  key_on_disk machine_key(dir);
  server_process server(secured());  // no signing key
  const auto hash = compile_hash(server.port(), good_trader("unsigned"));
  CHECK(http_call(server.port(), get("/v1/artifacts/" + hash)).header("x-vyx-signature").empty());
  artifact_fetcher fetcher(
      machine_config(server.port(), machine_key.key.public_key_base64(), dir / "machine"));
  CHECK(refusal(fetcher, hash).find("unsigned artifact") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("an artifact signed by another key than the machine trusts is refused") {
  signed_service service;
  const auto hash = compile_hash(service.server.port(), good_trader("wrong key"));
  auto fetcher = service.fetcher(vyx::common::signing_key::generate().public_key_base64());
  const auto error = refusal(fetcher, hash);
  CHECK(error.find("signed by key ") != std::string::npos);
  CHECK(error.find("but this machine trusts key") != std::string::npos);
}

TEST_CASE("artifact B served under the hash of A is refused") {
  signed_service service;
  const auto a = compile_hash(service.server.port(), good_trader("A"));
  const auto b = compile_hash(service.server.port(), good_trader("B"));
  REQUIRE(a != b);
  const auto cache = service.server.cache_dir();
  for (const char* ext : {".so", ".sig"})
    fs::copy_file(cache / (b + ext), cache / (a + ext), fs::copy_options::overwrite_existing);
  auto fetcher = service.fetcher();
  CHECK(refusal(fetcher, a).find("bad signature") != std::string::npos);
  std::string error;
  CHECK_MESSAGE(fetcher.fetch(b, error), error);
}

TEST_CASE("a correctly signed file that fails the ELF audit is refused") {
  signed_service service;
  // An executable, not a plugin: signed with the service's own key, as a
  // compromised build step might.
  const std::string hash(64, 'e');
  const auto so = service.server.cache_dir() / (hash + ".so");
  fs::copy_file("/bin/true", so);
  const auto message =
      vyx::common::artifact_signing_message(hash, vyx::common::file_sha256_hex(so));
  std::string error;
  auto verifier = vyx::common::verify_key::parse(service.key.key.public_key_base64(), error);
  REQUIRE(verifier);
  std::ofstream(service.server.cache_dir() / (hash + ".sig"))
      << verifier->key_id() << ' ' << service.key.key.sign(message) << '\n';
  auto fetcher = service.fetcher();
  const auto reason = refusal(fetcher, hash);
  CHECK(reason.find("ELF audit failed") != std::string::npos);
}

TEST_CASE("a cached copy altered on the machine is dropped and fetched again") {
  signed_service service;
  const auto hash = compile_hash(service.server.port(), good_trader("machine cache"));
  auto fetcher = service.fetcher();
  std::string error;
  auto path = fetcher.fetch(hash, error);
  REQUIRE_MESSAGE(path, error);
  const auto good_digest = vyx::common::file_sha256_hex(*path);
  flip_last_byte(*path);
  REQUIRE(vyx::common::file_sha256_hex(*path) != good_digest);
  auto again = fetcher.fetch(hash, error);
  REQUIRE_MESSAGE(again, error);
  CHECK(vyx::common::file_sha256_hex(*again) == good_digest);
  // With the service gone, an altered cache is refused rather than loaded.
  flip_last_byte(*again);
  CHECK(service.server.terminate() == 0);
  CHECK(refusal(fetcher, hash).find("unreachable") != std::string::npos);
}

TEST_CASE("token, unknown and malformed hashes, and settings are reported clearly") {
  signed_service service;
  auto config = machine_config(service.server.port(), service.key.key.public_key_base64(),
                               service.dir / "machine");
  config.token = "wrong";
  artifact_fetcher wrong_token(config);
  CHECK(refusal(wrong_token, std::string(64, 'a')) ==
        "the compile service refused VYX_COMPILER_TOKEN");
  auto fetcher = service.fetcher();
  CHECK(refusal(fetcher, std::string(64, 'a')).find("has no artifact") != std::string::npos);
  std::string error;
  CHECK_FALSE(fetcher.fetch("../etc/passwd", error));
  CHECK(error.find("is not an artifact hash") != std::string::npos);

  config = machine_config(service.server.port(), "", service.dir / "machine");
  CHECK_THROWS_WITH_AS(artifact_fetcher{config},
                       doctest::Contains("VYX_ARTIFACT_PUBLIC_KEY is not"), std::runtime_error);
  config = machine_config(service.server.port(), "bm90IGEga2V5", service.dir / "machine");
  CHECK_THROWS_WITH_AS(artifact_fetcher{config}, doctest::Contains("VYX_ARTIFACT_PUBLIC_KEY:"),
                       std::runtime_error);
  config = machine_config(service.server.port(), service.key.key.public_key_base64(),
                          service.dir / "machine");
  config.compiler_url = "ftp://example";
  CHECK_THROWS_WITH_AS(artifact_fetcher{config}, doctest::Contains("VYX_COMPILER_URL"),
                       std::runtime_error);
}

TEST_CASE(
    "the compile service compiles for the machine, then rejected code comes back as diagnostics") {
  signed_service service;
  vyx::runtime::compile_service_client client(machine_config(
      service.server.port(), service.key.key.public_key_base64(), service.dir / "machine"));
  vyx::runtime::trader_record trader;
  trader.id = "remote";
  trader.language = "cpp";
  trader.code = good_trader("remote");
  auto build = client.build(trader);
  REQUIRE_MESSAGE(build.ok, build.error);
  CHECK(build.plugin == client.fetcher().cache_dir() / (build.plugin.stem().string() + ".so"));
  CHECK(build.plugin.stem().string().size() == 64);
  trader.id = "bad";
  trader.code = rejected_trader();
  build = client.build(trader);
  CHECK_FALSE(build.ok);
  CHECK(build.error.find("2:1:") == 0);
}

TEST_CASE("a build through the compile service is refused when its artifact is not signed") {
  const auto dir = make_temp_dir("vyx-artifacts-test");
  key_on_disk machine_key(dir);
  server_process server(secured());  // no signing key
  vyx::runtime::compile_service_client client(
      machine_config(server.port(), machine_key.key.public_key_base64(), dir / "machine"));
  vyx::runtime::trader_record trader;
  trader.id = "unsigned";
  trader.language = "cpp";
  trader.code = good_trader("unsigned build");
  const auto build = client.build(trader);
  CHECK_FALSE(build.ok);
  CHECK_MESSAGE(build.error.find("refused: unsigned artifact") != std::string::npos, build.error);
  fs::remove_all(dir);
}
