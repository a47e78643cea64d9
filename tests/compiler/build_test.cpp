// The build's promises: byte-identical output for the same input, a cache hit
// that serves the same artifact without compiling, check() building nothing,
// concurrent builds, the name and timeframe hints in the hash and metadata.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "support/compile_support.hpp"
#include "vyx/common/elf_audit.hpp"

namespace fs = std::filesystem;

namespace {
const char* const trader = R"(
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  return k.size() > 30 && vyx::rsi(k.close(), 14) < 30;
}
)";

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(VYX_TEST_CACHE_DIR).parent_path() / "scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A compiler over `cache_dir` that shares only the tests' precompiled SDK
// header (input, not output), so that it compiles instead of hitting.
vyx::compiler::compile_result build_in(const fs::path& cache_dir, const std::string& name) {
  fs::create_directories(cache_dir / "sdk");
  for (const auto& entry : fs::directory_iterator(fs::path(VYX_TEST_CACHE_DIR) / "sdk"))
    fs::copy_file(entry.path(), cache_dir / "sdk" / entry.path().filename());
  vyx::compiler::compiler_options options;
  options.cache_dir = cache_dir;
  options.time_limit_seconds = 120;
  vyx::compiler::compiler other(options);
  vyx::compiler::compile_request r;
  r.code = trader;
  r.name = name;
  return other.build(r);
}
}  // namespace

TEST_CASE("the same input gives a byte-identical plugin, in another cache too") {
  const vyx::compiler::compile_result first = vyx::test::build_code(trader, "determinism");
  REQUIRE(first.ok);
  // A second compiler with an empty artifact directory.
  const vyx::compiler::compile_result second = build_in(fresh_dir("determinism"), "determinism");
  REQUIRE(second.ok);
  CHECK_FALSE(second.cache_hit);
  CHECK(second.hash == first.hash);
  CHECK(second.artifact_path != first.artifact_path);
  CHECK(vyx::test::read_text(second.artifact_path.string()) ==
        vyx::test::read_text(first.artifact_path.string()));
}

TEST_CASE("a relative cache directory works: the compile child runs elsewhere") {
  REQUIRE(vyx::test::build_code(trader, "relative").ok);  // the shared SDK header exists
  const fs::path dir = fresh_dir("relative");
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  const vyx::compiler::compile_result built = build_in("cache", "relative");
  fs::current_path(before);
  INFO((built.diagnostics.empty() ? std::string() : built.diagnostics.front().message));
  REQUIRE(built.ok);
  CHECK(built.artifact_path.is_absolute());
  CHECK(fs::exists(built.artifact_path));
}

TEST_CASE("a second build of the same input is a cache hit with the same artifact") {
  const vyx::compiler::compile_result first = vyx::test::build_code(trader, "cached");
  REQUIRE(first.ok);
  const vyx::compiler::compile_result second = vyx::test::build_code(trader, "cached");
  REQUIRE(second.ok);
  CHECK(second.cache_hit);
  CHECK(second.hash == first.hash);
  CHECK(second.artifact_path == first.artifact_path);
  CHECK(second.artifact_size == first.artifact_size);
  CHECK(second.metadata.timeframes == first.metadata.timeframes);
  CHECK(second.metadata.history_bars == first.metadata.history_bars);
  CHECK(vyx::test::shared_compiler().artifact(first.hash) == first.artifact_path);
  CHECK(vyx::test::shared_compiler().artifact("not-a-hash").empty());
  CHECK(vyx::test::shared_compiler().artifact(std::string(64, '0')).empty());
}

TEST_CASE("the name and the source are part of the hash") {
  const auto a = vyx::test::build_code(trader, "name_a");
  const auto b = vyx::test::build_code(trader, "name_b");
  const auto c = vyx::test::build_code(std::string(trader) + "\n", "name_a");
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  REQUIRE(c.ok);
  CHECK(a.hash != b.hash);
  CHECK(a.hash != c.hash);
}

TEST_CASE("check() reports metadata and builds nothing") {
  const vyx::compiler::compile_result r = vyx::test::check_code(R"(
bool filter(const vyx::Market& m) { return m.klines("1h").size() > 100 && m.klines("1m").size() > 0; }
void series(const vyx::Market& m, vyx::Plot& plot) { plot.bar("volume", m.klines("1h").volume()); }
)");
  REQUIRE(r.ok);
  CHECK(r.artifact_path.empty());
  CHECK(r.metadata.timeframes == std::vector<std::string>{"1m", "1h"});
  CHECK(r.metadata.has_series);
  CHECK(r.metadata.history_bars >= 100);
}

TEST_CASE("required timeframes from the request are validated and recorded") {
  vyx::compiler::compile_request r;
  r.code = trader;
  r.required_timeframes = {"4h"};
  const auto ok = vyx::test::shared_compiler().check(r);
  REQUIRE(ok.ok);
  CHECK(ok.metadata.timeframes == std::vector<std::string>{"5m", "4h"});
  r.required_timeframes = {"2h"};
  const auto bad = vyx::test::shared_compiler().check(r);
  CHECK_FALSE(bad.ok);
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].rule == "dialect-unknown-timeframe");
}

TEST_CASE("a clang error inside an SDK template points at the user's line, without host text") {
  const auto r = vyx::test::check_code(R"(
bool filter(const vyx::Market& m) {
  const auto& k = m.klines("5m");
  return vyx::rsi(k, 14) < 30;
}
)");
  CHECK_FALSE(r.ok);
  REQUIRE_FALSE(r.diagnostics.empty());
  CHECK(r.diagnostics[0].line == 4);
  CHECK(r.diagnostics[0].rule == "compile");
  for (const auto& d : r.diagnostics) {
    CHECK(d.file == "trader.cpp");
    CHECK(d.message.find("/usr/") == std::string::npos);
    CHECK(d.message.find("abi/include") == std::string::npos);
  }
}

TEST_CASE("concurrent builds of different traders all succeed") {
  std::vector<vyx::compiler::compile_result> results(3);
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i)
    threads.emplace_back([&, i] {
      results[i] = vyx::test::build_code(
          "bool filter(const vyx::Market& m) { return m.klines(\"5m\").size() > " +
              std::to_string(100 + i) + "; }\n",
          "concurrent");
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) {
    CHECK(r.ok);
    CHECK(vyx::common::audit_plugin(r.artifact_path).empty());
  }
  CHECK(results[0].hash != results[1].hash);
}

namespace {

// A copy of the SDK laid out as an installed one (what VYX_SDK_ROOT points at).
std::filesystem::path copy_sdk_to(const std::filesystem::path& root) {
  namespace fs = std::filesystem;
  fs::remove_all(root);
  fs::create_directories(root / "include");
  fs::create_directories(root / "lib");
  for (const char* part : {"/abi/include/vyx", "/indicators/include/vyx"})
    fs::copy(std::string(VYX_SOURCE_DIR) + part, root / "include" / "vyx",
             fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  fs::copy_file(VYX_TEST_PLUGIN_ARCHIVE, root / "lib" / "libvyx_plugin_indicators.a");
  return root;
}

// A check of an indicator trader with the SDK at `sdk_root` and the cache in `cache_dir`.
vyx::compiler::compile_result check_with_sdk(const std::filesystem::path& sdk_root,
                                             const std::filesystem::path& cache_dir) {
  REQUIRE(setenv("VYX_SDK_ROOT", sdk_root.c_str(), 1) == 0);
  vyx::compiler::compiler_options o;
  o.cache_dir = cache_dir.string();
  o.time_limit_seconds = 120;  // each check here may build the SDK header
  vyx::compiler::compiler c(o);
  unsetenv("VYX_SDK_ROOT");  // read by the constructor
  vyx::compiler::compile_request r;
  r.code =
      "bool filter(const vyx::Market& m) { return vyx::rsi(m.klines(\"5m\").close(), 14) < 30; }\n";
  return c.check(r);
}

std::string messages(const vyx::compiler::compile_result& r) {
  std::string said;
  for (const auto& d : r.diagnostics) said += d.message + "\n";
  return said;
}

}  // namespace

TEST_CASE("an SDK header touched after its precompiled copy was built does not fail compiles") {
  // The header gets a new modification time and the same contents, as a
  // checkout or a reinstall gives it.
  namespace fs = std::filesystem;
  const fs::path root =
      copy_sdk_to(fs::temp_directory_path() / ("vyx-sdk-touch-" + std::to_string(getpid())));
  const auto before = check_with_sdk(root, root / "cache");
  const fs::path header = root / "include" / "vyx" / "sdk" / "indicators_multi.hpp";
  fs::last_write_time(header, fs::last_write_time(header) + std::chrono::hours(1));
  const auto after = check_with_sdk(root, root / "cache");
  fs::remove_all(root);
  CHECK(before.ok);
  CHECK_MESSAGE(after.ok, messages(after));
}

TEST_CASE(
    "a second copy of the same SDK keeps compiling after the first, which shared its cache, is "
    "deleted") {
  // Two checkouts of one SDK, one user cache: the precompiled header names
  // its headers by path, so the first copy's must not serve the second.
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("vyx-sdk-twice-" + std::to_string(getpid()));
  const fs::path first = copy_sdk_to(base / "first"), second = copy_sdk_to(base / "second");
  const auto with_first = check_with_sdk(first, base / "cache");
  fs::remove_all(first);
  const auto with_second = check_with_sdk(second, base / "cache");
  fs::remove_all(base);
  CHECK(with_first.ok);
  CHECK_MESSAGE(with_second.ok, messages(with_second));
}
