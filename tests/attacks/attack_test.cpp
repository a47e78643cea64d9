// The attack corpus (README.md beside this file): each hostile plugin is
// run against the layers that must stop it, each layer on its own where it
// can be switched off, and a co-loaded control trader must see exactly what
// it sees without the attacker.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "evaluation/plugin_output.hpp"
#include "sandbox_fixture.hpp"
#include "vyx/runtime/screening/trader_signal.hpp"

namespace vyx::test {
namespace {

using runtime::outcome;

std::filesystem::path attack(const std::string& name) {
  return std::filesystem::path(VYX_ATTACK_PLUGIN_DIR) / (name + ".so");
}

// The control trader's matches over `ticks` ticks, alone. `clean_control`
// passes the ELF audit; the sandbox tests' `control` (C++ with libstdc++)
// does not, and reads host-served indicators.
std::vector<std::vector<flat_match>> control_alone(int ticks, bool clean = false) {
  auto store = make_store(100);
  auto options = pool_options(2);
  options.audit_plugins = clean;
  runtime::worker_pool pool(store, options);
  REQUIRE(pool.load({{"control", clean ? attack("clean_control") : plugin("control")}})
              .failed.empty());
  std::vector<std::vector<flat_match>> out;
  for (int t = 0; t < ticks; ++t) {
    if (t > 0) append_bar(store, 100 + static_cast<std::size_t>(t) - 1);
    out.push_back(flatten(pool, store,
                          pool.run_tick({close_time_of(100 + static_cast<std::size_t>(t) - 1),
                                         1u << VYX_TF_1M}),
                          "control"));
  }
  return out;
}

// Loads control + attacker; the attacker must be refused with `reason`.
void check_refused_at_load(const std::string& plugin_name, bool audit, const std::string& reason) {
  CAPTURE(plugin_name);
  CAPTURE(audit);
  auto store = make_store(100);
  auto options = pool_options(2);
  options.audit_plugins = audit;
  runtime::worker_pool pool(store, options);
  const auto report =
      pool.load({{"control", attack("clean_control")}, {"attacker", attack(plugin_name)}});
  REQUIRE(report.failed.size() == 1);
  CHECK(report.failed[0].first == "attacker");
  CHECK_MESSAGE(report.failed[0].second.find(reason) != std::string::npos, report.failed[0].second);
  CHECK(report.loaded == std::vector<std::string>{"control"});
  const auto r = pool.run_tick({close_time_of(99), 1u << VYX_TF_1M});
  CHECK(r.faults.empty());
  CHECK(flatten(pool, store, r, "control") == control_alone(1, true)[0]);
  // The refusal is visible in the trader's status, with its reason.
  for (const auto& st : pool.statuses())
    if (st.id == "attacker") {
      CHECK_FALSE(st.loaded);
      CHECK(st.reason.find(reason) != std::string::npos);
    }
}

// Runs control + attacker over `ticks` ticks; returns the tick results.
std::vector<runtime::tick_result> run_beside_control(const std::string& plugin_name, int ticks,
                                                     runtime::worker_pool_options options,
                                                     std::vector<runtime::trader_status>* end = nullptr) {
  auto store = make_store(100);
  runtime::worker_pool pool(store, options);
  const auto report = pool.load({{"control", plugin("control")}, {"attacker", attack(plugin_name)}});
  REQUIRE(report.failed.empty());
  const auto baseline = control_alone(ticks);
  std::vector<runtime::tick_result> results;
  for (int t = 0; t < ticks; ++t) {
    if (t > 0) append_bar(store, 100 + static_cast<std::size_t>(t) - 1);
    results.push_back(pool.run_tick(
        {close_time_of(100 + static_cast<std::size_t>(t) - 1), 1u << VYX_TF_1M}));
    CHECK(flatten(pool, store, results.back(), "control") == baseline[static_cast<std::size_t>(t)]);
  }
  if (end) *end = pool.statuses();
  return results;
}

}  // namespace

// --- W^X at load time ------------------------------------------------------

TEST_CASE("W^X: a constructor making memory writable and executable is refused by the audit") {
  check_refused_at_load("wx_ctor_mprotect_code_writable", true, "init/fini");
}

TEST_CASE("W^X: without the audit, seccomp stops every load-time route to new code") {
  for (const char* variant : {"mprotect_code_writable", "mprotect_data_executable", "anonymous_exec",
                              "anonymous_write_exec", "memfd_exec"})
    check_refused_at_load(std::string("wx_ctor_") + variant, false, "seccomp: ");
}

TEST_CASE("W^X: the entry function runs under the evaluation policy and cannot patch code") {
  check_refused_at_load("wx_entry_mprotect_code_writable", false, "seccomp: mprotect");
}

// --- foreign shared objects ----------------------------------------------

TEST_CASE("foreign .so: refused by the ELF audit in the parent before any of its code runs") {
  std::filesystem::remove(VYX_FOREIGN_MARK);
  check_refused_at_load("foreign", true, "does not export the function vyx_plugin_entry");
  check_refused_at_load("foreign", true, "refused before loading");
  CHECK_FALSE(std::filesystem::exists(VYX_FOREIGN_MARK));
}

TEST_CASE("foreign .so: without the audit its constructor still cannot create a file") {
  std::filesystem::remove(VYX_FOREIGN_MARK);
  check_refused_at_load("foreign", false, "while loading");
  CHECK_FALSE(std::filesystem::exists(VYX_FOREIGN_MARK));
}

// --- forged outputs ------------------------------------------------------

TEST_CASE("forged output: every field the host reads back is validated, a fault with a reason") {
  struct forged {
    const char* field;
    const char* reason;
  } cases[] = {{"matched", "'matched' is neither 0 nor 1"},
               {"count", "more values than the buffer holds"},
               {"unterminated_name", "no terminating NUL"},
               {"invalid_utf8", "not UTF-8"},
               {"duplicate_name", "same name"},
               {"values_pointer", "changed the host's output struct"}};
  for (const forged& f : cases) {
    CAPTURE(f.field);
    const auto results = run_beside_control(std::string("forge_") + f.field, 1, pool_options(2));
    REQUIRE(results[0].faults.size() == 1);
    const auto& fault = results[0].faults[0];
    CHECK(fault.trader_id == "attacker");
    CHECK(fault.symbol == "SYM03");
    CHECK(fault.what == outcome::bad_output);
    CHECK_MESSAGE(fault.reason.find(f.reason) != std::string::npos, fault.reason);
  }
}

// --- CPU budget ------------------------------------------------------------

TEST_CASE("cpu budget: a trader under the deadline on every symbol is cut per tick, then quarantined") {
  auto options = pool_options(2);
  options.trader_tick_budget = std::chrono::milliseconds(50);  // the hog spends 30 ms a symbol
  options.deadline = std::chrono::milliseconds(2000);  // a loaded machine stretches 30 ms of CPU
  options.quarantine_faults = 3;
  std::vector<runtime::trader_status> end;
  const auto results = run_beside_control("cpu_hog", 4, options, &end);
  for (std::size_t t = 0; t < 3; ++t) {
    CAPTURE(t);
    REQUIRE(results[t].faults.size() == 1);
    CHECK(results[t].faults[0].what == outcome::over_budget);
    CHECK(results[t].faults[0].reason.find("budget 50 ms") != std::string::npos);
    for (const auto& m : results[t].matches) CHECK(m.trader_index == 0);  // none of the hog's
  }
  // Quarantined after the third: the fourth tick does not run it at all.
  CHECK(results[3].faults.empty());
  const auto hog = std::find_if(end.begin(), end.end(), [](auto& s) { return s.id == "attacker"; });
  REQUIRE(hog != end.end());
  CHECK(hog->quarantined);
  CHECK(hog->reason.find("over_budget") != std::string::npos);
}

TEST_CASE("cpu budget: a trader under the per-tick budget on every tick is charged by its average") {
  auto options = pool_options(2);
  options.trader_tick_budget = std::chrono::milliseconds(10'000);  // never reached
  options.trader_window_budget = std::chrono::milliseconds(20);     // the hog spends 30 ms a symbol
  options.budget_window_ticks = 2;
  options.deadline = std::chrono::milliseconds(2000);
  options.quarantine_faults = 3;
  std::vector<runtime::trader_status> end;
  const auto results = run_beside_control("cpu_hog", 6, options, &end);
  CHECK(results[0].faults.empty());  // one tick is not yet a window
  std::size_t charged = 0;
  for (const auto& r : results)
    for (const auto& f : r.faults) {
      CHECK(f.trader_id == "attacker");
      CHECK(f.what == outcome::over_budget);
      CHECK_MESSAGE(f.reason.find("20 ms a tick over the last 2 ticks") != std::string::npos, f.reason);
      ++charged;
    }
  CHECK(charged == 3);
  CHECK(results.back().faults.empty());  // quarantined: not run any more
  const auto hog = std::find_if(end.begin(), end.end(), [](auto& s) { return s.id == "attacker"; });
  REQUIRE(hog != end.end());
  CHECK(hog->quarantined);
}

// --- outputs ---------------------------------------------------------------

TEST_CASE("outputs: hostile names give valid UTF-8 JSON with unique keys and a dry arena is the trader's") {
  auto options = pool_options(2);
  options.audit_plugins = false;  // host-built, as vyxc would build it minus the checker
  options.deadline = std::chrono::milliseconds(2000);  // running the arena dry takes a while
  auto store = make_store(64);
  runtime::worker_pool pool(store, options);
  REQUIRE(pool.load({{"sdk_outputs", attack("sdk_outputs")}}).failed.empty());
  const auto r = pool.run_tick({close_time_of(63), 1u << VYX_TF_1M});
  REQUIRE(r.faults.size() == 1);
  CHECK(r.faults[0].symbol == "SYM05");
  CHECK(r.faults[0].what == outcome::resource_limit);
  CHECK(r.faults[0].reason.find("per-call memory") != std::string::npos);
  REQUIRE(r.matches.size() == symbol_count - 1);
  simdjson::dom::parser parser;
  for (const auto& m : r.matches) {
    runtime::trader_signal s;
    s.trader = "sdk_outputs";
    s.symbol = std::string(store.symbol(m.symbol_index));
    s.timeframe = VYX_TF_1M;
    s.close_time = close_time_of(63);
    for (const auto& v : m.values) s.values.push_back({v.name, v.value});
    const std::string line = runtime::to_json(s);
    CAPTURE(line);
    simdjson::dom::element doc;
    REQUIRE(parser.parse(line).get(doc) == simdjson::SUCCESS);  // also checks UTF-8
    CHECK(line.find("</") == std::string::npos);
    simdjson::dom::object values;
    REQUIRE(doc["values"].get(values) == simdjson::SUCCESS);
    std::set<std::string> keys;
    for (auto field : values) CHECK(keys.insert(std::string(field.key)).second);
    CHECK(keys.count("twice") == 1);
    CHECK(keys.count("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                     "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9") == 1);
    CHECK(keys.count("?? raw bytes") == 1);
  }
}

TEST_CASE("outputs: json_escape turns any bytes into valid UTF-8 JSON text") {
  const std::string hostile = std::string("a\xff") + "\xc3" + "\xe2\x80\xa8" + "\xed\xa0\x80" +
                              "<&>" + std::string(1, '\0') + "\xf0\x9f\x98\x80";
  const std::string json = "{\"k\":\"" + runtime::json_escape(hostile) + "\"}";
  CAPTURE(json);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  std::string_view k;
  REQUIRE(doc["k"].get(k) == simdjson::SUCCESS);
  CHECK(runtime::valid_utf8(k));
  CHECK(k.find("\xf0\x9f\x98\x80") != std::string_view::npos);  // a valid character survives
  CHECK(json.find('<') == std::string::npos);
}

}  // namespace vyx::test
