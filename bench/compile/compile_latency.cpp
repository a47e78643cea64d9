// Compile latency of the sample traders: through a warm `vyxc serve` cold
// (source not in the cache) and cached, against `clang++-16 -O2 -shared -fPIC`
// on the same translation unit (SDK header + trader + entry adapters), all in
// one run. Prints p50/p90 of each and the command that reproduces the figures.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "server_process.hpp"
#include "test_support.hpp"

extern char** environ;

namespace {

using clock_type = std::chrono::steady_clock;
namespace fs = std::filesystem;

double ms_since(clock_type::time_point start) {
  return std::chrono::duration<double, std::milli>(clock_type::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p * static_cast<double>(values.size() - 1);
  const auto low = static_cast<std::size_t>(rank);
  const std::size_t high = std::min(low + 1, values.size() - 1);
  return values[low] + (values[high] - values[low]) * (rank - static_cast<double>(low));
}

struct trader {
  std::string name;
  std::string code;
};

std::vector<trader> load_traders(const fs::path& dir) {
  std::vector<trader> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    out.push_back({entry.path().stem().string(), text.str()});
  }
  std::sort(out.begin(), out.end(),
            [](const trader& a, const trader& b) { return a.name < b.name; });
  if (out.empty()) out.push_back({"builtin_rsi_ema", vyx::test::good_trader()});
  return out;
}

// The translation unit the compiler builds, as one file for plain clang++:
// the SDK header (a precompiled header in the service), the trader, the adapters.
std::string plain_translation_unit(const trader& t) {
  return "#include \"vyx/trader.hpp\"\n#line 1 \"" + t.name + ".cpp\"\n" + t.code +
         "\n#include \"vyx/sdk/entry.hpp\"\n";
}

int run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> plain_clang_command(const fs::path& source, const fs::path& output) {
  return {VYX_CLANG,
          "-std=c++20",
          "-O2",
          "-shared",
          "-fPIC",
          "-I",
          VYX_SDK_INCLUDE_DIR,
          "-I",
          VYX_INDICATORS_INCLUDE_DIR,
          source.string(),
          VYX_PLUGIN_ARCHIVE,
          "-o",
          output.string()};
}

struct compile_answer {
  bool ok = false;
  bool cache_hit = false;
  std::string body;
  // The compiler's own split of a compile (its "timings" object).
  double check_ms = 0, codegen_ms = 0, link_ms = 0, compile_ms = 0;
};

compile_answer compile(std::uint16_t port, const std::string& code, const std::string& name) {
  const vyx::test::http_reply reply =
      vyx::test::http_call(port, vyx::test::compile_request_for(code, name));
  compile_answer answer;
  answer.body = reply.body;
  if (reply.status != 200) return answer;
  const vyx::test::json_doc doc(reply.body);
  answer.ok = bool(doc["ok"]);
  answer.cache_hit = bool(doc["cacheHit"]);
  const auto timings = doc["timings"];
  answer.check_ms = double(timings["checkMs"]);
  answer.codegen_ms = double(timings["codegenMs"]);
  answer.link_ms = double(timings["linkMs"]);
  answer.compile_ms = double(timings["compileMs"]);
  return answer;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 10;
  fs::path traders_dir = VYX_TRADERS_DIR;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rounds")
      rounds = std::stoi(argv[i + 1]);
    else if (flag == "--traders")
      traders_dir = argv[i + 1];
  }
  const std::vector<trader> traders = load_traders(traders_dir);

  // A fresh cache directory (server_process makes one) and a warm service:
  // the first compile builds the precompiled SDK header and is not counted.
  vyx::test::server_process server(vyx::test::secured({"--jobs", "1"}));
  const auto port = server.port();
  if (!compile(port, traders.front().code + "\n// warm-up\n", "warmup").ok) {
    std::fprintf(stderr, "warm-up compile failed\n");
    return 1;
  }

  const fs::path scratch = vyx::test::make_temp_dir("vyx-bench-compile");
  std::vector<double> cold, cached, plain;
  std::vector<double> cold_check, cold_codegen, cold_link, cold_compile;
  for (int round = 0; round < rounds; ++round) {
    for (const trader& t : traders) {
      // A comment at the end changes the hash (so the cache misses) and no line number.
      const std::string code = t.code + "\n// round " + std::to_string(round) + "\n";
      auto start = clock_type::now();
      const compile_answer first = compile(port, code, t.name);
      cold.push_back(ms_since(start));
      cold_check.push_back(first.check_ms);
      cold_codegen.push_back(first.codegen_ms);
      cold_link.push_back(first.link_ms);
      cold_compile.push_back(first.compile_ms);
      start = clock_type::now();
      const compile_answer second = compile(port, code, t.name);
      cached.push_back(ms_since(start));
      if (!first.ok || first.cache_hit || !second.ok || !second.cache_hit) {
        std::fprintf(stderr, "%s: unexpected answers:\n%s\n%s\n", t.name.c_str(),
                     first.body.c_str(), second.body.c_str());
        return 1;
      }

      const fs::path source = scratch / (t.name + ".cpp");
      std::ofstream(source) << plain_translation_unit({t.name, code});
      start = clock_type::now();
      const int status = run(plain_clang_command(source, scratch / (t.name + ".so")));
      plain.push_back(ms_since(start));
      if (status != 0) {
        std::fprintf(stderr, "%s: plain clang++ failed (status %d)\n", t.name.c_str(), status);
        return 1;
      }
    }
  }
  server.terminate();
  fs::remove_all(scratch);

  std::printf("compile latency, %zu traders x %d rounds (ms, wall time seen by the client)\n",
              traders.size(), rounds);
  std::printf("%-34s %9s %9s\n", "", "p50", "p90");
  std::printf("%-34s %9.2f %9.2f\n", "vyxc serve, cold (not in cache)", percentile(cold, 0.5),
              percentile(cold, 0.9));
  std::printf("%-34s %9.3f %9.3f\n", "vyxc serve, cached", percentile(cached, 0.5),
              percentile(cached, 0.9));
  std::printf("%-34s %9.2f %9.2f\n", "clang++-16 -O2 -shared -fPIC", percentile(plain, 0.5),
              percentile(plain, 0.9));
  std::printf(
      "  cold, inside the compiler: parse+check %.1f, codegen %.1f, descriptor+link %.1f, "
      "compiler total %.1f (p50)\n",
      percentile(cold_check, 0.5), percentile(cold_codegen, 0.5), percentile(cold_link, 0.5),
      percentile(cold_compile, 0.5));
  std::printf(
      "cold p50 / plain clang++ p50 = %.2fx (target <= 0.5x); cached p50 %.3f ms (target < 2 ms)\n",
      percentile(cold, 0.5) / percentile(plain, 0.5), percentile(cached, 0.5));
  std::printf("traders:");
  for (const trader& t : traders) std::printf(" %s", t.name.c_str());
  std::printf("\nplain command: ");
  for (const auto& a : plain_clang_command("TU.cpp", "TU.so")) std::printf("%s ", a.c_str());
  std::printf("\nreproduce: %s --rounds %d --traders %s\n", argv[0], rounds, traders_dir.c_str());
  return 0;
}
