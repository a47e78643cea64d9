// The pool's per-trader bookkeeping on its own: when faults quarantine a
// trader, when they expire, and that new code starts with a clean slate.
#include <doctest/doctest.h>

#include "pool/quarantine_ledger.hpp"

namespace vyx::test {
namespace {

using runtime::outcome;
using runtime::quarantine_ledger;
using namespace std::chrono_literals;

const quarantine_ledger::clock::time_point start{};

quarantine_ledger ledger_with(const std::string& id, const std::filesystem::path& plugin) {
  quarantine_ledger ledger(3, std::chrono::minutes(60));
  ledger.keep_only({{id, plugin}});
  ledger.mark_loaded(id, 1u << VYX_TF_1M, 20);
  ledger.mark_running(id, plugin);
  return ledger;
}

TEST_CASE("quarantine ledger: the third fault within the window quarantines, once") {
  quarantine_ledger ledger = ledger_with("t", "/p/t-1.so");
  CHECK(!ledger.record_fault("t", start, outcome::timeout, "deadline 250 ms exceeded", "BTCUSDT"));
  CHECK(!ledger.record_fault("t", start + 10min, outcome::signaled, "SIGSEGV", ""));
  CHECK(ledger.may_run("t"));
  CHECK(ledger.record_fault("t", start + 20min, outcome::violation, "seccomp: openat", "ETHUSDT"));
  CHECK(ledger.quarantined("t"));
  CHECK(!ledger.may_run("t"));
  // Already quarantined: a later fault counts, but does not quarantine again.
  CHECK(!ledger.record_fault("t", start + 21min, outcome::signaled, "SIGSEGV", ""));
  const runtime::trader_status& s = ledger.status("t");
  CHECK(s.faults == 4);
  CHECK(s.reason ==
        "quarantined after 3 faults within 60 min; last: violation: seccomp: openat on ETHUSDT");
}

TEST_CASE("quarantine ledger: faults older than the window expire") {
  quarantine_ledger ledger = ledger_with("t", "/p/t-1.so");
  CHECK(!ledger.record_fault("t", start, outcome::signaled, "SIGSEGV", ""));
  CHECK(!ledger.record_fault("t", start + 30min, outcome::signaled, "SIGSEGV", ""));
  // The first fault is 61 minutes old by now: two remain in the window.
  CHECK(!ledger.record_fault("t", start + 61min, outcome::signaled, "SIGSEGV", ""));
  CHECK(!ledger.quarantined("t"));
  CHECK(ledger.record_fault("t", start + 62min, outcome::signaled, "SIGSEGV", ""));
  // No symbol: the reason ends with the last fault's own reason.
  CHECK(ledger.status("t").reason ==
        "quarantined after 3 faults within 60 min; last: signaled: SIGSEGV");
}

TEST_CASE("quarantine ledger: new code resets the faults, the same code does not") {
  quarantine_ledger ledger = ledger_with("t", "/p/t-1.so");
  for (int i = 0; i < 3; ++i)
    ledger.record_fault("t", start + std::chrono::minutes(i), outcome::signaled, "SIGSEGV", "");
  REQUIRE(ledger.quarantined("t"));

  ledger.mark_running("t", "/p/t-1.so");  // reloaded unchanged
  CHECK(ledger.quarantined("t"));

  ledger.mark_running("t", "/p/t-2.so");
  CHECK(!ledger.quarantined("t"));
  CHECK(ledger.status("t").reason.empty());
  // The window starts empty: two faults do not quarantine the new version.
  CHECK(!ledger.record_fault("t", start + 5min, outcome::signaled, "SIGSEGV", ""));
  CHECK(!ledger.record_fault("t", start + 6min, outcome::signaled, "SIGSEGV", ""));
  CHECK(ledger.may_run("t"));
  CHECK(ledger.status("t").faults == 5);  // the total is history, not reset
}

TEST_CASE("quarantine ledger: refusals, disabled and forgotten traders") {
  quarantine_ledger ledger(2, std::chrono::minutes(60));
  ledger.keep_only({{"a", "/p/a.so"}, {"b", "/p/b.so", false}});
  CHECK(ledger.may_run("a"));
  CHECK(!ledger.may_run("b"));  // disabled

  ledger.mark_refused("a", true, "failed to load: bad ABI");
  CHECK(ledger.status("a").loaded);
  CHECK(ledger.status("a").reason == "new version refused, previous kept: failed to load: bad ABI");
  ledger.mark_refused("a", false, "failed to load: bad ABI");
  CHECK(!ledger.status("a").loaded);
  CHECK(ledger.status("a").reason == "failed to load: bad ABI");

  // A quarantine's reason is kept over a refusal's.
  ledger.record_fault("a", start, outcome::signaled, "SIGSEGV", "");
  ledger.record_fault("a", start, outcome::signaled, "SIGSEGV", "");
  ledger.mark_refused("a", true, "failed to load: bad ABI");
  CHECK(ledger.status("a").reason == "quarantined after 2 faults within 60 min; last: signaled: SIGSEGV");

  ledger.count_evaluations("a", 500);
  ledger.count_match("a");
  CHECK(ledger.status("a").evaluations == 500);
  CHECK(ledger.status("a").matches == 1);

  ledger.keep_only({{"a", "/p/a.so"}});
  const auto all = ledger.statuses();
  REQUIRE(all.size() == 1);
  CHECK(all[0].id == "a");
  CHECK(all[0].faults == 2);
}

}  // namespace
}  // namespace vyx::test
