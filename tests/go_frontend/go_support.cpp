// Support for the Go front end tests (go_support.hpp).
#include "go_support.hpp"

#include <dlfcn.h>
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <iostream>

#include "support/synthetic_market.hpp"

namespace vyx::test {

vyx::compiler::compiler& go_compiler() {
  static vyx::compiler::compiler instance([] {
    vyx::compiler::compiler_options o;
    o.cache_dir = VYX_TEST_CACHE_DIR;
    return o;
  }());
  return instance;
}

namespace {
vyx::compiler::compile_request request(const std::string& body, const std::string& name) {
  vyx::compiler::compile_request r;
  r.language = vyx::compiler::source_language::go;
  r.code = body;
  r.name = name;
  r.file_name = name + ".go";
  return r;
}
}  // namespace

vyx::compiler::compile_result build_go(const std::string& body, const std::string& name) {
  return go_compiler().build(request(body, name));
}

vyx::compiler::compile_result check_go(const std::string& body) {
  return go_compiler().check(request(body, "checked"));
}

void expect_true(const char* name, const char* body) {
  CAPTURE(name);
  CHECK(std::string(to_string(run_go(body, name))) == std::string("matched"));
}

const char* to_string(run_end e) {
  switch (e) {
    case run_end::matched:
      return "matched";
    case run_end::not_matched:
      return "not matched";
    case run_end::fault:
      return "fault";
    case run_end::bad_status:
      return "bad status";
    case run_end::no_plugin:
      return "no plugin";
  }
  return "?";
}

run_end run_go(const std::string& body, const std::string& name) {
  const vyx::compiler::compile_result built = build_go(body, name);
  for (const auto& d : built.diagnostics)
    std::cerr << d.file << ":" << d.line << ":" << d.column << ": " << d.message << " [" << d.rule
              << "]\n";
  REQUIRE(built.ok);
  const pid_t pid = fork();
  if (pid == 0) {
    // The trader's trap must end this process as it ends a worker, not be
    // reported by the test framework's crash handlers inherited from the parent.
    for (const int sig : {SIGILL, SIGSEGV, SIGFPE, SIGBUS, SIGABRT, SIGTRAP}) signal(sig, SIG_DFL);
    void* handle = dlopen(built.artifact_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) _exit(20);
    auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(handle, VYX_ENTRY_SYMBOL));
    if (entry == nullptr) _exit(20);
    const vyx_plugin* plugin = entry();
    synthetic_timeframe m1(VYX_TF_1M, 300, [](int i) { return 100 + 5 * std::sin(i / 9.0); });
    synthetic_timeframe m5(VYX_TF_5M, 300, [](int i) { return 100 + 0.1 * i; });
    synthetic_timeframe m15(VYX_TF_15M, 300, [](int i) { return 100 - 0.05 * i; });
    synthetic_timeframe h1(VYX_TF_1H, 300, [](int i) { return 100 + (i % 5); });
    synthetic_market market;
    market.add(m1);
    market.add(m5);
    market.add(m15);
    market.add(h1);
    const vyx_status status = plugin->filter(&market.market, &market.fresh_output());
    if (status != VYX_OK) _exit(12);
    _exit(market.output.matched ? 10 : 11);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return run_end::fault;
  if (!WIFEXITED(status)) return run_end::no_plugin;
  switch (WEXITSTATUS(status)) {
    case 10:
      return run_end::matched;
    case 11:
      return run_end::not_matched;
    case 12:
      return run_end::bad_status;
  }
  return run_end::no_plugin;
}

}  // namespace vyx::test
