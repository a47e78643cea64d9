// The plugin loader: the ABI version is checked before any plugin function
// is called, and a mismatch names both versions.
#include <doctest/doctest.h>

#include "evaluation/plugin_loader.hpp"
#include "sandbox_fixture.hpp"

namespace vyx::test {

TEST_CASE("loader: a plugin built for another ABI version is refused, naming both versions") {
  auto r = runtime::plugin_loader::load(plugin("abi_mismatch"));
  CHECK_FALSE(r.ok);
  CHECK_MESSAGE(r.error.find("Vyx ABI version 999") != std::string::npos, r.error);
  CHECK_MESSAGE(r.error.find("Vyx ABI version 1") != std::string::npos, r.error);
  CHECK(r.plugin.descriptor() == nullptr);
}

TEST_CASE("loader: a good plugin loads and its descriptor is checked") {
  auto r = runtime::plugin_loader::load(plugin("control"));
  REQUIRE(r.ok);
  CHECK(std::string(r.plugin.descriptor()->name) == "control");
  CHECK(r.plugin.descriptor()->required_timeframes == (1u << VYX_TF_1M));
}

TEST_CASE("loader: a descriptor smaller than this ABI's is refused") {
  vyx_plugin d{};
  d.struct_size = 40;
  d.abi_version = VYX_ABI_VERSION;
  std::string e = runtime::plugin_loader::check_descriptor(&d);
  CHECK(e.find("40 bytes") != std::string::npos);
}

TEST_CASE("loader: a missing file is an error, not a crash") {
  auto r = runtime::plugin_loader::load(plugin("no_such_plugin"));
  CHECK_FALSE(r.ok);
  CHECK(!r.error.empty());
}

TEST_CASE("pool: an ABI mismatch is refused at load with both versions, the rest runs") {
  auto store = make_store(100);
  runtime::worker_pool pool(store, pool_options(1));
  auto report = pool.load({{"control", plugin("control")}, {"future", plugin("abi_mismatch")}});
  REQUIRE(report.failed.size() == 1);
  CHECK(report.failed[0].first == "future");
  CHECK(report.failed[0].second.find("999") != std::string::npos);
  CHECK(report.failed[0].second.find("version 1") != std::string::npos);
  auto r = pool.run_tick({close_time_of(99), 1u << VYX_TF_1M});
  CHECK(pool.trader_ids() == std::vector<std::string>{"control"});
  CHECK(r.faults.empty());
}

}  // namespace vyx::test
