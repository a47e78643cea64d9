// Prometheus text rendering of the service's counters and histograms.
#include "service_metrics.hpp"

#include <cstdio>

namespace vyx::compiler::service {
namespace {

void append_line(std::string& out, const char* format, auto... args) {
  char line[256];
  const int length = std::snprintf(line, sizeof line, format, args...);
  if (length > 0)
    out.append(line, static_cast<std::size_t>(length) < sizeof line ? length : sizeof line - 1);
}

}  // namespace

void service_metrics::count_request(const std::string& endpoint, unsigned status) {
  std::lock_guard lock(mutex_);
  ++requests_[{endpoint, status}];
}

void service_metrics::record_compile(double seconds, bool cache_hit, bool ok) {
  std::lock_guard lock(mutex_);
  histogram& h = cache_hit ? cached_ : cold_;
  for (std::size_t i = 0; i < latency_buckets.size(); ++i)
    if (seconds <= latency_buckets[i]) ++h.buckets[i];
  ++h.count;
  h.sum += seconds;
  ++(cache_hit ? cache_hits_ : cache_misses_);
  ++(ok ? compiles_ok_ : compiles_rejected_code_);
}

void service_metrics::count_rejected_compile() {
  std::lock_guard lock(mutex_);
  ++compiles_refused_queue_full_;
}

std::string service_metrics::render(std::size_t queue_depth, std::size_t running,
                                    unsigned workers) const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.append(
      "# HELP vyxc_http_requests_total HTTP requests answered, by endpoint and status.\n"
      "# TYPE vyxc_http_requests_total counter\n");
  for (const auto& [key, count] : requests_)
    append_line(out, "vyxc_http_requests_total{endpoint=\"%s\",status=\"%u\"} %llu\n",
                key.first.c_str(), key.second, static_cast<unsigned long long>(count));

  out.append(
      "# HELP vyxc_compile_duration_seconds Compile latency in a worker, cache hits and misses "
      "apart.\n"
      "# TYPE vyxc_compile_duration_seconds histogram\n");
  for (const auto& [label, h] :
       {std::pair<const char*, const histogram*>{"hit", &cached_}, {"miss", &cold_}}) {
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
      append_line(out, "vyxc_compile_duration_seconds_bucket{cache=\"%s\",le=\"%g\"} %llu\n", label,
                  latency_buckets[i], static_cast<unsigned long long>(h->buckets[i]));
    append_line(out, "vyxc_compile_duration_seconds_bucket{cache=\"%s\",le=\"+Inf\"} %llu\n", label,
                static_cast<unsigned long long>(h->count));
    append_line(out, "vyxc_compile_duration_seconds_sum{cache=\"%s\"} %.6f\n", label, h->sum);
    append_line(out, "vyxc_compile_duration_seconds_count{cache=\"%s\"} %llu\n", label,
                static_cast<unsigned long long>(h->count));
  }

  append_line(out,
              "# HELP vyxc_cache_hits_total Compiles answered from the artifact cache.\n"
              "# TYPE vyxc_cache_hits_total counter\nvyxc_cache_hits_total %llu\n",
              static_cast<unsigned long long>(cache_hits_));
  append_line(out,
              "# HELP vyxc_cache_misses_total Compiles that ran the compiler.\n"
              "# TYPE vyxc_cache_misses_total counter\nvyxc_cache_misses_total %llu\n",
              static_cast<unsigned long long>(cache_misses_));
  out.append(
      "# HELP vyxc_compiles_total Compiles finished, by outcome.\n# TYPE vyxc_compiles_total "
      "counter\n");
  append_line(out, "vyxc_compiles_total{outcome=\"ok\"} %llu\n",
              static_cast<unsigned long long>(compiles_ok_));
  append_line(out, "vyxc_compiles_total{outcome=\"rejected\"} %llu\n",
              static_cast<unsigned long long>(compiles_rejected_code_));
  append_line(out, "vyxc_compiles_total{outcome=\"queue_full\"} %llu\n",
              static_cast<unsigned long long>(compiles_refused_queue_full_));
  append_line(out,
              "# HELP vyxc_compile_queue_depth Compiles waiting for a worker.\n"
              "# TYPE vyxc_compile_queue_depth gauge\nvyxc_compile_queue_depth %zu\n",
              queue_depth);
  append_line(out,
              "# HELP vyxc_compiles_running Compiles running in a worker.\n"
              "# TYPE vyxc_compiles_running gauge\nvyxc_compiles_running %zu\n",
              running);
  append_line(out,
              "# HELP vyxc_compile_workers Size of the compile worker pool.\n"
              "# TYPE vyxc_compile_workers gauge\nvyxc_compile_workers %u\n",
              workers);
  return out;
}

}  // namespace vyx::compiler::service
