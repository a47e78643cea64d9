// The trader registry against a real PostgreSQL with a stand-in compiler:
// what it hands the scheduler after inserts, edits, disables, deletes and
// broken edits, by LISTEN and by reconcile alone, and what it records.
#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>

#include "../support/eventually.hpp"
#include "pg_cluster.hpp"
#include "platform_db.hpp"
#include "vyx/runtime/registry/trader_registry.hpp"

using namespace vyx::test;
using namespace vyx::runtime;
using namespace std::chrono_literals;

namespace {

// "Builds" a plugin named after the code; code containing "broken" fails.
class stand_in_compiler final : public trader_compiler {
 public:
  std::vector<trader_record> seen;

 protected:
  trader_build build_it_(const trader_record& trader) override {
    seen.push_back(trader);
    trader_build build;
    if (trader.code.find("broken") != std::string::npos) {
      build.error = "1:1: broken code";
      return build;
    }
    build.ok = true;
    build.plugin = "/plugins/" + trader.language + "-" + trader.code + ".so";
    return build;
  }
};

// The sets the registry applied, in order.
struct applied_sets {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::vector<trader_spec>> sets;

  void push(std::vector<trader_spec> specs) {
    std::lock_guard lock(mutex);
    sets.push_back(std::move(specs));
    changed.notify_all();
  }
  // Waits for a set (after `after` of them) that satisfies `match`.
  template <class F>
  bool wait_for(std::size_t after, F match, std::chrono::milliseconds limit = 10s) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] {
      for (std::size_t i = after; i < sets.size(); ++i)
        if (match(sets[i])) return true;
      return false;
    });
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return sets.size();
  }
};

// How long a registry thread may take to act (a reconcile, a LISTEN, a build).
constexpr std::chrono::seconds act_limit{10};

const trader_spec* find(const std::vector<trader_spec>& specs, const std::string& id) {
  for (const auto& s : specs)
    if (s.id == id) return &s;
  return nullptr;
}

struct fixture {
  pg_cluster cluster;
  platform_user user, other;
  stand_in_compiler compiler;
  applied_sets applied;
  fixture() {
    apply_platform_schema(cluster);
    apply_migrations(cluster);
    user = create_user(cluster, "unit");
    other = create_user(cluster, "other");
  }
  registry_options options(bool listen, std::chrono::milliseconds period) {
    registry_options o;
    o.database.url = cluster.url(user.role);  // the machine's own role
    o.listen_url = listen ? cluster.url(user.role) : "";
    o.user_id = user.id;
    o.reconcile_period = period;
    return o;
  }
  std::string status(const std::string& trader, const std::string& column) {
    return cluster.query_value("SELECT " + column +
                               " FROM public.trader_runtime_status WHERE trader_id = " +
                               sql_quote(trader));
  }
};

}  // namespace

TEST_CASE("registry: LISTEN picks up insert, edit, disable, delete and a broken edit") {
  fixture f;
  const auto first = insert_trader(f.cluster, f.user.id, "first", R"({"code":"one"})");
  insert_trader(f.cluster, f.other.id, "not mine", R"({"code":"theirs"})");
  trader_registry registry(f.options(true, 60s), f.compiler,
                           [&](std::vector<trader_spec> s) { f.applied.push(std::move(s)); });
  std::string error;
  auto initial = registry.load(error);
  REQUIRE(error.empty());
  REQUIRE(initial.size() == 1);  // another user's trader is not visible to this machine
  CHECK(initial[0].id == first);
  CHECK(initial[0].plugin_path == "/plugins/cpp-one.so");
  CHECK(f.status(first, "state") == "starting");
  registry.start();
  REQUIRE(eventually([&] { return registry.stats().listening; }, act_limit));
  REQUIRE(eventually([&] { return registry.stats().reconciles >= 2; }, act_limit));
  CHECK(f.applied.size() == 0);  // the reconcile after LISTEN found nothing new

  // Insert, double-encoded.
  auto n = f.applied.size();
  const auto second = insert_trader(f.cluster, f.user.id, "second",
                                    "\"{\\\"code\\\":\\\"two\\\"}\"");
  REQUIRE(f.applied.wait_for(n, [&](auto& s) { return find(s, second) != nullptr; }));
  CHECK(f.compiler.seen.back().code == "two");

  // Edit.
  n = f.applied.size();
  f.cluster.exec("UPDATE public.traders SET filter = '{\"code\":\"three\"}' WHERE id = " +
                 sql_quote(second));
  REQUIRE(f.applied.wait_for(n, [&](auto& s) {
    auto* t = find(s, second);
    return t && t->plugin_path == "/plugins/cpp-three.so";
  }));

  // Broken edit: recorded, the previous build stays, no new set.
  n = f.applied.size();
  f.cluster.exec("UPDATE public.traders SET filter = '{\"code\":\"broken!\"}' WHERE id = " +
                 sql_quote(second));
  REQUIRE(eventually([&] { return f.status(second, "last_error").find("broken code") != std::string::npos; },
                     act_limit));
  CHECK(f.status(second, "state") == "starting");  // still running its previous build
  CHECK(f.applied.size() == n);

  // Disable.
  f.cluster.exec("UPDATE public.traders SET enabled = false WHERE id = " + sql_quote(first));
  REQUIRE(f.applied.wait_for(n, [&](auto& s) {
    auto* t = find(s, first);
    return t && !t->enabled;
  }));

  // Delete.
  n = f.applied.size();
  f.cluster.exec("DELETE FROM public.traders WHERE id = " + sql_quote(first));
  REQUIRE(f.applied.wait_for(n, [&](auto& s) { return !find(s, first) && find(s, second); }));
}

TEST_CASE("registry: with no LISTEN the reconcile alone picks changes up") {
  fixture f;
  trader_registry registry(f.options(false, 300ms), f.compiler,
                           [&](std::vector<trader_spec> s) { f.applied.push(std::move(s)); });
  std::string error;
  CHECK(registry.load(error).empty());
  REQUIRE(error.empty());
  registry.start();
  const auto begin = std::chrono::steady_clock::now();
  const auto id = insert_trader(f.cluster, f.user.id, "late", R"({"code":"late"})");
  REQUIRE(f.applied.wait_for(0, [&](auto& s) { return find(s, id) != nullptr; }));
  CHECK(std::chrono::steady_clock::now() - begin < 2s);  // within the period, plus one slice
  CHECK_FALSE(registry.stats().listening);
  CHECK(registry.stats().notifications == 0);
}

TEST_CASE("registry: languages and filters it cannot build are recorded, the others run") {
  fixture f;
  const auto go = insert_trader(f.cluster, f.user.id, "go", R"({"code":"return true","seriesCode":"return nil"})", "go");
  const auto js = insert_trader(f.cluster, f.user.id, "js", R"({"code":"return true"})", "javascript");
  const auto no_code = insert_trader(f.cluster, f.user.id, "empty", R"({"description":["x"]})");
  const auto broken = insert_trader(f.cluster, f.user.id, "broken", R"({"code":"broken"})");
  trader_registry registry(f.options(true, 60s), f.compiler, [](std::vector<trader_spec>) {});
  std::string error;
  auto specs = registry.load(error);
  REQUIRE(specs.size() == 1);
  CHECK(specs[0].id == go);
  CHECK(specs[0].plugin_path == "/plugins/go-return true.so");  // routed to the compiler as go
  bool saw_series = false;
  for (const auto& t : f.compiler.seen) saw_series |= t.series_code == "return nil";
  CHECK(saw_series);
  CHECK(f.status(js, "last_error").find("language 'javascript' is not supported") == 0);
  CHECK(f.status(no_code, "last_error") == "filter has no code");
  CHECK(f.status(broken, "last_error") == "1:1: broken code");
  CHECK(f.status(broken, "state") == "compile_failed");
  CHECK(registry.stats().compile_failures == 3);
  CHECK(f.compiler.seen.size() == 2);  // js and the empty filter never reach the compiler
}
