// Support for the Go front end tests (go_support.hpp).
#include "go_support.hpp"

#include <dlfcn.h>
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <signal.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <iostream>

#include "evaluation/go_indicator_cache.hpp"
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
vyx::compiler::compile_request request(const std::string& body, const std::string& name,
                                       const std::string& series) {
  vyx::compiler::compile_request r;
  r.language = vyx::compiler::source_language::go;
  r.code = body;
  r.series_code = series;
  r.name = name;
  r.file_name = name + ".go";
  return r;
}

// The plugin of a successful build, loaded in the calling (forked) process.
const vyx_plugin* load_plugin(const vyx::compiler::compile_result& built) {
  // The trader's trap must end this process as it ends a worker, not be
  // reported by the test framework's crash handlers inherited from the parent.
  for (const int sig : {SIGILL, SIGSEGV, SIGFPE, SIGBUS, SIGABRT, SIGTRAP}) signal(sig, SIG_DFL);
  void* handle = dlopen(built.artifact_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) _exit(20);
  auto entry = reinterpret_cast<vyx_entry_fn>(dlsym(handle, VYX_ENTRY_SYMBOL));
  if (entry == nullptr) _exit(20);
  return entry();
}

// 1m/5m/15m/1h candles, 300 each, open times 1.7e12 + i minutes.
struct test_market {
  synthetic_timeframe m1{VYX_TF_1M, 300, [](int i) { return 100 + 5 * std::sin(i / 9.0); }};
  synthetic_timeframe m5{VYX_TF_5M, 300, [](int i) { return 100 + 0.1 * i; }};
  synthetic_timeframe m15{VYX_TF_15M, 300, [](int i) { return 100 - 0.05 * i; }};
  synthetic_timeframe h1{VYX_TF_1H, 300, [](int i) { return 100 + (i % 5); }};
  synthetic_market market;
  test_market() {
    market.add(m1);
    market.add(m5);
    market.add(m15);
    market.add(h1);
  }
};

// The market's host table when it serves the Go ids (go_host).
struct serving_host {
  go_host kind = go_host::none;
  const vyx_market* market = nullptr;
  vyx::runtime::go_indicator_cache cache;
  std::vector<double> fortytwos;
  int served = 0;

  static vyx_status serve(void* context, const vyx_indicator_request* r,
                          vyx_indicator_result* out) {
    auto* h = static_cast<serving_host*>(context);
    if (r->struct_size < sizeof *r || !vyx::runtime::go_indicator_cache::serves(r->indicator))
      return VYX_ERR_UNSUPPORTED;
    if (r->timeframe >= VYX_TIMEFRAME_COUNT || h->market->timeframes[r->timeframe] == nullptr)
      return VYX_ERR_NO_TIMEFRAME;
    ++h->served;
    if (h->kind == go_host::shared)
      return h->cache.serve(0, *h->market->timeframes[r->timeframe], *r, out);
    h->fortytwos.assign(r->window_count, 42.0);
    out->output_count = 3;
    out->length = r->window_count;
    for (int i = 0; i < 3; ++i) out->outputs[i] = h->fortytwos.data();
    return VYX_OK;
  }
  void install(synthetic_market& m) {
    market = &m.market;
    if (kind == go_host::none) return;
    m.host.indicator = &serve;
    m.market.host_context = this;
    cache.begin_visit();
  }
};

// Exit codes of the filter call's child.
run_end filter_end(int exit_code) {
  switch (exit_code) {
    case 10:
      return run_end::matched;
    case 11:
      return run_end::not_matched;
    case 12:
      return run_end::bad_status;
  }
  return run_end::no_plugin;
}

void print_diagnostics(const vyx::compiler::compile_result& built) {
  for (const auto& d : built.diagnostics)
    std::cerr << d.file << ":" << d.line << ":" << d.column << ": " << d.message << " [" << d.rule
              << "]\n";
}

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
bool take(const std::string& in, std::size_t& at, T& v) {
  if (in.size() - at < sizeof v) return false;
  std::memcpy(&v, in.data() + at, sizeof v);
  at += sizeof v;
  return true;
}
}  // namespace

vyx::compiler::compile_result build_go(const std::string& body, const std::string& name,
                                       const std::string& series) {
  return go_compiler().build(request(body, name, series));
}

vyx::compiler::compile_result check_go(const std::string& body, const std::string& series) {
  return go_compiler().check(request(body, "checked", series));
}

void expect_true(const char* name, const char* body, go_host host) {
  CAPTURE(name);
  CHECK(std::string(to_string(run_go(body, name, host))) == std::string("matched"));
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

run_end run_go(const std::string& body, const std::string& name, go_host host) {
  const vyx::compiler::compile_result built = build_go(body, name);
  print_diagnostics(built);
  REQUIRE(built.ok);
  const pid_t pid = fork();
  if (pid == 0) {
    const vyx_plugin* plugin = load_plugin(built);
    test_market m;
    serving_host serving;
    serving.kind = host;
    serving.install(m.market);
    const vyx_status status = plugin->filter(&m.market.market, &m.market.fresh_output());
    if (status != VYX_OK) _exit(12);
    if (host == go_host::shared && serving.served == 0) _exit(12);
    _exit(m.market.output.matched ? 10 : 11);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return run_end::fault;
  if (!WIFEXITED(status)) return run_end::no_plugin;
  return filter_end(WEXITSTATUS(status));
}

series_run run_go_series(const std::string& body, const std::string& series,
                         const std::string& name) {
  const vyx::compiler::compile_result built = build_go(body, name, series);
  print_diagnostics(built);
  REQUIRE(built.ok);
  REQUIRE(built.metadata.has_series);
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    const vyx_plugin* plugin = load_plugin(built);
    test_market m;
    const vyx_status filter_status = plugin->filter(&m.market.market, &m.market.fresh_output());
    const int filter_code = filter_status != VYX_OK ? 12 : m.market.output.matched ? 10 : 11;
    std::vector<vyx_plot_series> entries(32);
    std::vector<double> pool(32 * 301);
    vyx_plot_output out{};
    out.struct_size = sizeof out;
    out.series_capacity = static_cast<std::uint32_t>(entries.size());
    out.series = entries.data();
    out.pool = pool.data();
    out.pool_capacity = pool.size();
    std::string answer;
    put(answer, filter_code);
    const int series_status = plugin->series(&m.market.market, &out);
    put(answer, series_status);
    put(answer, out.series_count);
    for (std::uint32_t i = 0; i < out.series_count; ++i) {
      const vyx_plot_series& e = entries[i];
      const std::uint32_t name_length = static_cast<std::uint32_t>(strnlen(e.name, VYX_NAME_CAPACITY));
      put(answer, name_length);
      answer.append(e.name, name_length);
      put(answer, e.kind);
      put(answer, e.length);
      answer.append(reinterpret_cast<const char*>(pool.data() + e.offset), e.length * sizeof(double));
    }
    const char* p = answer.data();
    for (std::size_t left = answer.size(); left > 0;) {
      const ssize_t n = write(pipe_fds[1], p, left);
      if (n <= 0) _exit(21);
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  series_run run;
  if (WIFSIGNALED(status)) {
    run.filter = run_end::fault;
    return run;
  }
  std::size_t at = 0;
  int filter_code = 0;
  std::uint32_t count = 0;
  if (!take(answer, at, filter_code) || !take(answer, at, run.status) || !take(answer, at, count))
    return run;
  run.filter = filter_end(filter_code);
  for (std::uint32_t i = 0; i < count; ++i) {
    series_run::plotted s;
    std::uint32_t name_length = 0;
    std::uint64_t length = 0;
    REQUIRE(take(answer, at, name_length));
    s.name = answer.substr(at, name_length);
    at += name_length;
    REQUIRE(take(answer, at, s.kind));
    REQUIRE(take(answer, at, length));
    s.values.resize(length);
    for (double& v : s.values) REQUIRE(take(answer, at, v));
    run.series.push_back(std::move(s));
  }
  return run;
}

}  // namespace vyx::test
