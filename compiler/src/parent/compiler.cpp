// vyx::compiler::compiler: hashing, the cache, the precompiled SDK header,
// and one sandboxed child process per compile. This side never runs (nor
// links) clang or LLVM: the vyx-compile-child program does, in a fresh
// process exec'd for each job.
#include "vyx/compiler/compiler.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>

#include "go/go_frontend.hpp"
#include "parent/artifact_cache.hpp"
#include "parent/compile_child.hpp"
#include "parent/limit_position.hpp"
#include "parent/sdk_layout.hpp"
#include "parent/sha256.hpp"
#include "protocol/child_job.hpp"
#include "protocol/outcome_codec.hpp"
#include "vyx/common/elf_audit.hpp"

namespace vyx::compiler {
namespace fs = std::filesystem;

namespace {

fs::path default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != 0)
    return fs::path(xdg) / "vyx";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != 0)
    return fs::path(home) / ".cache" / "vyx";
  return fs::temp_directory_path() / "vyx-cache";
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

fs::path default_child_executable() {
  if (const char* env = std::getenv("VYX_COMPILE_CHILD"); env != nullptr && *env != 0) return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = self.parent_path() / "vyx-compile-child";
    if (fs::is_regular_file(beside, ec)) return beside;
  }
  return VYX_COMPILE_CHILD_BUILD_PATH;
}

// The name the descriptor carries: the request's, else the file's stem.
std::string trader_name(const compile_request& r) {
  return !r.name.empty() ? r.name : fs::path(r.file_name).stem().string();
}

diagnostic at_start(const compile_request& r, std::string rule, std::string message) {
  return diagnostic{r.file_name, 1, 1, "error", std::move(rule), std::move(message)};
}

}  // namespace

struct compiler::impl {
  compiler_options options;
  sdk_layout layout = default_sdk_layout();
  std::string fingerprint;
  std::unique_ptr<artifact_cache> cache;

  std::mutex pch_mutex;
  fs::path pch;  // set once the precompiled header exists

  // Builds in flight, by hash: a second request for the same hash waits for
  // the first and is then served from the cache.
  std::mutex inflight_mutex;
  std::condition_variable inflight_done;
  std::set<std::string> inflight;

  // Refusals by hash, in memory and bounded: code refused once is refused
  // again at the cost of a lookup, so a compile bomb costs its time limit
  // once per process, not once per request. Faults of ours ("internal") are
  // not remembered: they say nothing about the code.
  static constexpr std::size_t refusal_capacity = 4096;
  std::mutex refusals_mutex;
  std::map<std::string, compile_result> refusals;
  std::deque<std::string> refusal_order;

  void remember_refusal(const compile_result& r) {
    if (r.ok || r.diagnostics.empty()) return;
    for (const diagnostic& d : r.diagnostics)
      if (d.rule == "internal") return;
    std::lock_guard lock(refusals_mutex);
    if (!refusals.emplace(r.hash, r).second) return;
    refusal_order.push_back(r.hash);
    if (refusal_order.size() > refusal_capacity) {
      refusals.erase(refusal_order.front());
      refusal_order.pop_front();
    }
  }

  std::optional<compile_result> refusal(const std::string& hash) {
    std::lock_guard lock(refusals_mutex);
    auto it = refusals.find(hash);
    if (it == refusals.end()) return std::nullopt;
    compile_result r = it->second;
    r.cache_hit = true;
    r.timings = {};
    return r;
  }

  child_limits limits(const fs::path& scratch) const {
    child_limits l;
    l.seconds = options.time_limit_seconds;
    l.memory_bytes = options.memory_limit_bytes;
    l.file_bytes = options.output_limit_bytes;
    l.scratch = scratch;
    // System headers and libraries, clang's own headers, the SDK, and the
    // cache (the precompiled header is read from there).
    l.readable = {"/usr",
                  "/lib",
                  "/lib64",
                  "/etc",
                  "/proc",
                  "/dev/null",
                  "/dev/urandom",
                  layout.sdk_include_dir,
                  layout.indicators_include_dir,
                  layout.plugin_archive,
                  layout.clang_resource_dir,
                  cache->dir()};
    return l;
  }

  // The precompiled SDK header, built once per SDK fingerprint and place.
  // Artifacts are shared by content, but a precompiled header names the
  // headers it was built from by path: two checkouts of the same SDK sharing
  // one cache each need their own, or deleting one breaks every compile of
  // the other.
  bool ensure_pch(std::string& error) {
    std::lock_guard lock(pch_mutex);
    if (!pch.empty()) return true;
    sha256 place;
    place.field(fingerprint);
    for (const fs::path& dir :
         {layout.sdk_include_dir, layout.indicators_include_dir, layout.clang_resource_dir})
      place.field(fs::absolute(dir).lexically_normal().string());
    const fs::path target =
        cache->dir() / "sdk" / ("trader-" + place.hex_digest().substr(0, 16) + ".pch");
    std::error_code ec;
    if (fs::is_regular_file(target, ec)) {
      pch = target;
      return true;
    }
    fs::create_directories(target.parent_path(), ec);
    const fs::path scratch = cache->make_scratch();
    const fs::path built = scratch / "trader.pch";
    child_limits l = limits(scratch);
    // The SDK's own header, built once per SDK version: the limit only guards
    // against a hang, and must hold on a loaded machine or a sanitizer build.
    l.seconds = std::max(l.seconds, 300.0);
    child_job job;
    job.what = child_job::kind::sdk_pch;
    job.frontend.layout = layout;
    job.pch_output = built;
    const child_result r = run_in_child(l, options.child_executable, encode_job(job));
    bool ok = r.how == child_result::end::ok && r.payload == "ok";
    if (ok) {
      fs::rename(built, target, ec);
      ok = !ec;
    }
    if (ok)
      pch = target;
    else
      error = r.how != child_result::end::ok
                  ? std::string("building the SDK header hit its ") + to_string(r.how) + " limit"
                  : r.payload;
    fs::remove_all(scratch, ec);
    return ok;
  }

  std::string hash_of(const compile_request& r, const std::string& name) const {
    sha256 h;
    h.field(fingerprint);
    h.field(r.language == source_language::cpp ? "cpp" : "go");
    h.field(name);
    h.field(r.code);
    h.field(r.series_code);
    std::vector<std::string> tfs = r.required_timeframes;
    std::sort(tfs.begin(), tfs.end());
    for (const std::string& tf : tfs) h.field(tf);
    return h.hex_digest();
  }

  compile_result run(const compile_request& request, bool build);
  compile_result compile(const compile_request& request, bool build);
  std::optional<compile_result> cached(const compile_request& request);
  // The cached artifact named `hash`, as a successful result, if there is one.
  std::optional<compile_result> lookup(const std::string& hash);
};

compiler::compiler(compiler_options options) : impl_(new impl) {
  impl_->options = std::move(options);
  if (impl_->options.cache_dir.empty()) impl_->options.cache_dir = default_cache_dir();
  // The compile child works in a scratch directory of its own: a relative
  // cache path (the SDK header's, in its arguments) would not resolve there.
  impl_->options.cache_dir = fs::absolute(impl_->options.cache_dir).lexically_normal();
  if (impl_->options.child_executable.empty())
    impl_->options.child_executable = default_child_executable();
  impl_->cache = std::make_unique<artifact_cache>(impl_->options.cache_dir);
  impl_->fingerprint = sdk_fingerprint(impl_->layout);
}

compiler::~compiler() = default;

compile_result compiler::check(const compile_request& request) {
  return impl_->run(request, false);
}

compile_result compiler::build(const compile_request& request) {
  return impl_->run(request, true);
}

std::optional<compile_result> compiler::cached(const compile_request& request) {
  return impl_->cached(request);
}

fs::path compiler::artifact(const std::string& hash) const {
  if (!artifact_cache::valid_hash(hash)) return {};
  const fs::path p = impl_->cache->so_path(hash);
  std::error_code ec;
  return fs::is_regular_file(p, ec) ? p : fs::path{};
}

std::optional<compile_result> compiler::impl::cached(const compile_request& request) {
  const std::string hash = hash_of(request, trader_name(request));
  if (std::optional<compile_result> refused = refusal(hash)) return refused;
  return lookup(hash);
}

std::optional<compile_result> compiler::impl::lookup(const std::string& hash) {
  const auto start = std::chrono::steady_clock::now();
  std::optional<frontend_outcome> found = cache->lookup(hash);
  if (!found || !found->ok) return std::nullopt;
  compile_result result;
  result.hash = hash;
  result.ok = true;
  result.cache_hit = true;
  result.metadata = found->metadata;
  result.artifact_path = cache->so_path(hash);
  std::error_code ec;
  result.artifact_size = fs::file_size(result.artifact_path, ec);
  if (ec) return std::nullopt;
  result.timings.total_ms = ms_since(start);
  return result;
}

namespace {

// What a compile child that gave no answer says to the user: each way it can
// end named for what happened, a limit the code reached (compile-limit) apart
// from a fault of ours or an outside kill (internal).
diagnostic child_failure(const compile_request& request, const child_result& child) {
  switch (child.how) {
    case child_result::end::nesting_limit:
      return at_start(request, "compile-limit",
                      "compile limit exceeded (nesting depth): the code nests too deeply for the "
                      "compiler (lambdas, blocks or expressions inside each other); flatten it "
                      "into separate functions");
    case child_result::end::time_limit:
    case child_result::end::memory_limit:
    case child_result::end::output_limit: {
      diagnostic d = at_start(
          request, "compile-limit",
          std::string("compile limit exceeded (") + to_string(child.how) +
              "): the code takes too long or too much memory to compile; remove "
              "deep templates, large constexpr computations or macro expansions");
      // Where clang was when the limit stopped it, when that is in the user's file.
      if (const std::optional<limit_position> at = find_limit_position(child.last_words)) {
        d.line = at->line;
        d.column = at->column;
        if (!at->activity.empty())
          d.message += " (the compiler was here: " + at->activity + ")";
      }
      return d;
    }
    case child_result::end::killed:
      return at_start(request, "internal",
                      "the compiler was stopped from outside (signal " +
                          std::to_string(child.signal) + ", " + strsignal(child.signal) +
                          ") before it finished; this says nothing about the code: try again");
    default:
      return at_start(request, "internal",
                      std::string("the compiler stopped unexpectedly (") + to_string(child.how) +
                          (child.signal != 0 ? std::string(", signal ") + strsignal(child.signal)
                                             : std::string()) +
                          "); this is a fault of ours, not of the code: report it");
  }
}

}  // namespace

compile_result compiler::impl::run(const compile_request& request, bool build) {
  const auto start = std::chrono::steady_clock::now();
  if (request.language == source_language::cpp)
    if (std::optional<compile_result> refused = refusal(hash_of(request, trader_name(request)))) {
      refused->timings.total_ms = ms_since(start);
      return *refused;
    }
  compile_result result = compile(request, build);
  remember_refusal(result);
  return result;
}

compile_result compiler::impl::compile(const compile_request& request, bool build) {
  const auto start = std::chrono::steady_clock::now();
  compile_result result;
  const std::string name = trader_name(request);
  result.metadata.name = name;
  result.hash = hash_of(request, name);

  auto serve_cached = [&]() -> bool {
    if (!build) return false;
    std::optional<compile_result> hit = lookup(result.hash);
    if (!hit) return false;
    result = std::move(*hit);
    result.timings.total_ms = ms_since(start);
    return true;
  };
  if (serve_cached()) return result;

  // Coalesce concurrent builds of the same hash.
  std::unique_lock inflight_lock(inflight_mutex, std::defer_lock);
  if (build) {
    inflight_lock.lock();
    while (inflight.count(result.hash) != 0) inflight_done.wait(inflight_lock);
    if (serve_cached()) return result;
    inflight.insert(result.hash);
    inflight_lock.unlock();
  }
  struct release_inflight {
    impl* self;
    const std::string* hash;
    bool active;
    ~release_inflight() {
      if (!active) return;
      std::lock_guard lock(self->inflight_mutex);
      self->inflight.erase(*hash);
      self->inflight_done.notify_all();
    }
  } release{this, &result.hash, build};

  if (access(options.child_executable.c_str(), X_OK) != 0) {
    result.diagnostics.push_back(at_start(
        request, "internal",
        "the compile-child program " + options.child_executable.string() +
            " is missing or not executable; install vyx-compile-child beside this program or "
            "set VYX_COMPILE_CHILD"));
    return result;
  }
  std::string pch_error;
  if (!ensure_pch(pch_error)) {
    result.diagnostics.push_back(
        at_start(request, "internal", "the SDK could not be prepared: " + pch_error));
    return result;
  }

  // Go: the helper turns the body into dialect C++ first (its own jailed
  // process); everything after it is the dialect's build, unchanged.
  std::optional<go_translation> go;
  if (request.language == source_language::go) {
    child_limits helper_limits = limits({});
    helper_limits.seconds = std::min(helper_limits.seconds, 10.0);
    go = translate_go(request, helper_limits, default_go_frontend());
    result.timings.check_ms += go->ms;
    if (!go->ok) {
      result.diagnostics = go->diagnostics;
      result.timings.total_ms = ms_since(start);
      return result;
    }
  }

  const fs::path scratch = cache->make_scratch();
  if (scratch.empty()) {
    result.diagnostics.push_back(
        at_start(request, "internal", "cannot create a scratch directory"));
    return result;
  }
  child_job job;
  frontend_job& f = job.frontend;
  f.build = build;
  f.code = go ? go->cpp : request.code;
  f.file_name = request.file_name;
  f.name = name;
  f.hinted_timeframes = request.required_timeframes;
  f.go_translation = go.has_value();
  if (go)
    for (const std::string& tf : go->timeframes)
      if (std::find(f.hinted_timeframes.begin(), f.hinted_timeframes.end(), tf) ==
          f.hinted_timeframes.end())
        f.hinted_timeframes.push_back(tf);
  f.layout = layout;
  f.pch = pch;
  f.scratch = scratch;
  const child_result child =
      run_in_child(limits(scratch), options.child_executable, encode_job(job));
  std::optional<frontend_outcome> outcome;
  if (child.how == child_result::end::ok) outcome = decode_outcome(child.payload);

  std::error_code ec;
  if (!outcome) {
    result.diagnostics.push_back(child_failure(request, child));
    const diagnostic& limit = result.diagnostics.back();
    if (go && (limit.line > 1 || limit.column > 1)) map_to_go(result.diagnostics, *go);
    fs::remove_all(scratch, ec);
    result.timings.total_ms = ms_since(start);
    return result;
  }
  result.diagnostics = outcome->diagnostics;
  if (go) map_to_go(result.diagnostics, *go);
  result.metadata = outcome->metadata;
  const double translate_ms = result.timings.check_ms;
  result.timings = outcome->timings;
  result.timings.check_ms += translate_ms;
  result.ok = outcome->ok;
  if (result.ok && build) {
    const fs::path so = scratch / "plugin.so";
    const std::vector<std::string> problems = common::audit_plugin(so);
    for (const std::string& p : problems)
      result.diagnostics.push_back(
          at_start(request, "elf-audit", "the built plugin fails the audit: it " + p));
    if (!problems.empty()) {
      result.ok = false;
    } else if (cache->store(result.hash, so, *outcome)) {
      result.artifact_path = cache->so_path(result.hash);
      result.artifact_size = fs::file_size(result.artifact_path, ec);
    } else {
      result.ok = false;
      result.diagnostics.push_back(
          at_start(request, "internal", "cannot store the artifact in the cache"));
    }
  }
  fs::remove_all(scratch, ec);
  result.timings.total_ms = ms_since(start);
  return result;
}

}  // namespace vyx::compiler
