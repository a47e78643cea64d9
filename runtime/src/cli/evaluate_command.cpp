// `vyx evaluate TRADERS_DIR DATASET`: every trader file (Go body, dialect
// C++ or built .so) x every symbol x every cut-off of a compat dataset, one
// line each in the Yaegi oracle's format (TRADER<TAB>SYMBOL<TAB>K<TAB>
// true|false|error), so `diff <(vyx evaluate D DATA | LC_ALL=C sort)
// expected.tsv` is the compatibility test.
//
// Each trader runs in a forked child under the worker's sandbox (the load
// and evaluation lockdowns), reporting one line per evaluation on a pipe. A
// fault (a trap: index out of range, nil dereference, division by zero) or
// a timeout ends the child: that evaluation prints `error` and a fresh child
// carries on with the next one.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include "commands.hpp"
#include "evaluation/plugin_loader.hpp"
#include "sandbox/sandbox.hpp"
#include "trader_sources.hpp"
#include "vyx/runtime/feeds/compat_dataset.hpp"

namespace vyx::cli {
namespace fs = std::filesystem;
namespace po = boost::program_options;

namespace {

vyx_status no_host_indicators(void*, const vyx_indicator_request*, vyx_indicator_result*) {
  return VYX_ERR_UNSUPPORTED;
}
const vyx_host_api host_api{sizeof(vyx_host_api), VYX_ABI_VERSION, no_host_indicators};

struct item {
  std::size_t symbol;
  std::size_t k;
};

#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

// The child: lock down, load, evaluate items [start, end), one line each.
[[noreturn]] void evaluate_in_child(int out_fd, const fs::path& plugin,
                                    const std::vector<runtime::compat_symbol>& symbols,
                                    const std::vector<item>& items, std::size_t start,
                                    std::size_t window) {
  runtime::sandbox_limits limits;
  if (sanitized) limits.address_space = 0;
  const runtime::sandbox_policies policies = runtime::build_worker_policies(out_fd);
  std::string error;
  if (!runtime::enter_load_lockdown(limits, policies, {plugin.string()}, &error)) _exit(90);
  runtime::plugin_load_result loaded = runtime::plugin_loader::load(plugin);
  if (!loaded.ok) _exit(91);
  if (!runtime::enter_evaluation_lockdown(policies, &error)) _exit(92);
  const vyx_plugin* descriptor = loaded.plugin.descriptor();
  runtime::compat_market market;
  vyx_signal_value values[16];
  for (std::size_t i = start; i < items.size(); ++i) {
    runtime::make_compat_market(symbols[items[i].symbol], items[i].k, window, &host_api, market);
    vyx_filter_output out{};
    out.struct_size = sizeof(vyx_filter_output);
    out.value_capacity = 16;
    out.values = values;
    const vyx_status status = descriptor->filter(&market.market, &out);
    const char* result = !(status == VYX_OK || status == VYX_ERR_NOT_ENOUGH_DATA || status == VYX_ERR_NO_TIMEFRAME) ? "error"
                         : out.matched                         ? "true"
                                                               : "false";
    char line[64];
    const int n = std::snprintf(line, sizeof line, "vyx-eval %zu %s\n", i, result);
    if (write(out_fd, line, static_cast<std::size_t>(n)) != n) _exit(93);
  }
  _exit(0);
}

// Takes each complete "vyx-eval INDEX WORD" line off `buffer`: the result
// of evaluation `next`, in order (anything else is ignored).
void take_result_lines(std::string& buffer, std::vector<std::string>& results, std::size_t& next) {
  std::size_t at;
  while ((at = buffer.find('\n')) != std::string::npos) {
    const std::string line = buffer.substr(0, at);
    buffer.erase(0, at + 1);
    std::size_t index = 0;
    char word[8] = {};
    if (std::sscanf(line.c_str(), "vyx-eval %zu %7s", &index, word) == 2 && index == next &&
        index < results.size()) {
      results[index] = word;
      ++next;
    }
  }
}

// Reads a child's results until it ends; true when it fell silent past the timeout instead.
bool read_child_results(int fd, std::vector<std::string>& results, std::size_t& next,
                        int timeout_ms) {
  std::string buffer;
  char chunk[4096];
  const std::size_t first = next;
  while (true) {
    pollfd p{fd, POLLIN, 0};
    // The child's first line also waits for its lockdown and the plugin's load.
    const int ready = poll(&p, 1, next == first ? timeout_ms + 10000 : timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return true;
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
    take_result_lines(buffer, results, next);
  }
}

// The child ended (or hung) inside evaluation `next`: a fault of that
// evaluation only; a child that could not even load faults them all.
void charge_fault(int wait_status, std::vector<std::string>& results, std::size_t& next) {
  const bool load_failure = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) >= 90;
  if (load_failure) {
    for (; next < results.size(); ++next) results[next] = "error";
  } else {
    results[next++] = "error";
  }
}

// Runs one plugin over all items; results[i] is "true", "false" or "error".
std::vector<std::string> run_trader(const fs::path& plugin,
                                    const std::vector<runtime::compat_symbol>& symbols,
                                    const std::vector<item>& items, std::size_t window,
                                    int timeout_ms) {
  std::vector<std::string> results(items.size());
  std::size_t next = 0;
  while (next < items.size()) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) break;
    std::cout.flush();
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      evaluate_in_child(fds[1], plugin, symbols, items, next, window);
    }
    close(fds[1]);
    if (pid < 0) {
      close(fds[0]);
      break;
    }
    const bool timed_out = read_child_results(fds[0], results, next, timeout_ms);
    close(fds[0]);
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (next < items.size()) charge_fault(status, results, next);
  }
  for (std::string& r : results)
    if (r.empty()) r = "error";
  return results;
}

struct evaluate_options {
  std::size_t window = 250;
  int timeout_ms = 1000;
  std::string traders_dir, dataset_dir;
};

// nullopt to go on; else the exit status (--help, or a bad command line).
std::optional<int> parse_evaluate_options(const std::vector<std::string>& args,
                                          evaluate_options& o) {
  po::options_description options("vyx evaluate TRADERS_DIR DATASET [options]");
  options.add_options()("help,h", "this help")(
      "window", po::value(&o.window)->default_value(250),
      "candles per timeframe handed to a trader, newest last (the platform's 250; 0 = all)")(
      "timeout-ms", po::value(&o.timeout_ms)->default_value(1000),
      "per-evaluation timeout (a trader past it prints error)");
  po::options_description hidden;
  hidden.add_options()("traders", po::value(&o.traders_dir))("dataset", po::value(&o.dataset_dir));
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("traders", 1).add("dataset", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "vyx evaluate: " << e.what() << "\n" << options;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  if (o.traders_dir.empty() || o.dataset_dir.empty()) {
    std::cerr << "vyx evaluate: needs TRADERS_DIR and DATASET\n" << options;
    return 2;
  }
  return std::nullopt;
}

// One file per trader id; source wins over a built .so, as in `vyx run`.
// nullopt when the folder cannot be listed.
std::optional<std::map<std::string, fs::path>> trader_files(const std::string& dir) {
  std::map<std::string, fs::path> traders;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& p = entry.path();
    if (!entry.is_regular_file() || !trader_sources::is_trader_file(p)) continue;
    auto [it, fresh] = traders.emplace(p.stem().string(), p);
    if (!fresh && p.extension() != ".so") it->second = p;
  }
  if (ec) return std::nullopt;
  return traders;
}

}  // namespace

int evaluate_command(const std::vector<std::string>& args) {
  evaluate_options o;
  if (auto status = parse_evaluate_options(args, o)) return *status;
  std::vector<runtime::compat_symbol> symbols;
  try {
    symbols = runtime::load_compat_dataset(o.dataset_dir);
  } catch (const std::exception& e) {
    std::cerr << "vyx evaluate: " << e.what() << "\n";
    return 1;
  }
  std::vector<item> items;
  for (std::size_t s = 0; s < symbols.size(); ++s)
    for (std::size_t k = 0; k < symbols[s].tickers.size(); ++k) items.push_back({s, k});
  const auto traders = trader_files(o.traders_dir);
  if (!traders) {
    std::cerr << "vyx evaluate: cannot list " << o.traders_dir << "\n";
    return 1;
  }
  trader_sources sources;
  for (const auto& [name, file] : *traders) {
    std::string error;
    const std::optional<runtime::trader_spec> spec = sources.resolve(file, error);
    std::vector<std::string> results;
    if (!spec) {
      std::cerr << "vyx evaluate: " << error << "\n";
      results.assign(items.size(), "error");  // a result like Yaegi's, not a failure of ours
    } else {
      results = run_trader(spec->plugin_path, symbols, items, o.window, o.timeout_ms);
    }
    for (std::size_t i = 0; i < items.size(); ++i)
      std::cout << name << '\t' << symbols[items[i].symbol].name << '\t' << items[i].k << '\t'
                << results[i] << '\n';
  }
  std::cout.flush();
  return 0;
}

}  // namespace vyx::cli
