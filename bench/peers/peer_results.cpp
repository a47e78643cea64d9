// meta.json + peers.jsonl -> peer_run (see peer_results.hpp), with simdjson.
#include "peer_results.hpp"

#include <simdjson.h>

#include <fstream>

namespace vyx::bench::peers {
namespace {

// JSON numbers may come as integers or doubles (Go's encoder writes 200, C++'s printf 8.000).
bool number(simdjson::dom::element e, double& out) {
  if (e.is_double()) return e.get_double().get(out) == simdjson::SUCCESS;
  if (e.is_int64()) {
    out = static_cast<double>(std::int64_t(e.get_int64()));
    return true;
  }
  if (e.is_uint64()) {
    out = static_cast<double>(std::uint64_t(e.get_uint64()));
    return true;
  }
  return false;
}

template <typename T>
bool field(simdjson::dom::object o, const char* key, T& out) {
  simdjson::dom::element e;
  double v = 0;
  if (o.at_key(key).get(e) || !number(e, v) || v < 0) return false;
  out = static_cast<T>(v);
  return true;
}

bool text(simdjson::dom::object o, const char* key, std::string& out) {
  std::string_view v;
  if (o.at_key(key).get(v)) return false;
  out = v;
  return true;
}

}  // namespace

const peer_result* peer_run::find(const std::string& harness) const {
  for (const auto& r : results)
    if (r.harness == harness) return &r;
  return nullptr;
}

std::optional<peer_run> read_peer_run(const std::filesystem::path& dir, std::string& error) {
  simdjson::dom::parser parser;
  peer_run run;

  const auto meta_path = dir / "meta.json";
  simdjson::dom::object meta;
  if (auto ec = parser.load(meta_path.string()).get(meta)) {
    error = meta_path.string() + ": " + simdjson::error_message(ec);
    return std::nullopt;
  }
  std::string dataset;
  if (!field(meta, "symbols", run.symbols) || !field(meta, "bars", run.bars) ||
      !field(meta, "seed", run.seed) || !text(meta, "dataset", dataset) ||
      !text(meta, "date", run.date) || !text(meta, "verify_status", run.verify_status)) {
    error = meta_path.string() + ": missing symbols, bars, seed, dataset, date or verify_status";
    return std::nullopt;
  }
  run.dataset = dataset;
  field(meta, "ref_offsets", run.ref_offsets);
  simdjson::dom::object reference;
  if (run.ref_offsets > 0 && !meta.at_key("reference").get(reference)) {
    std::string rounded, unrounded;
    if (text(reference, "rounded", rounded)) run.reference_rounded = dir / rounded;
    if (text(reference, "unrounded", unrounded)) run.reference_unrounded = dir / unrounded;
  }

  const auto lines_path = dir / "peers.jsonl";
  std::ifstream in(lines_path);
  if (!in) {
    error = lines_path.string() + ": cannot open";
    return std::nullopt;
  }
  std::string line;
  for (std::size_t line_number = 1; std::getline(in, line); ++line_number) {
    if (line.empty()) continue;
    const std::string where = lines_path.string() + ":" + std::to_string(line_number) + ": ";
    simdjson::dom::object o;
    if (auto ec = parser.parse(line).get(o)) {
      error = where + simdjson::error_message(ec);
      return std::nullopt;
    }
    peer_result r;
    if (!text(o, "harness", r.harness) || !field(o, "evals_per_s", r.evals_per_s) ||
        !field(o, "ns_per_eval", r.ns_per_eval) || !field(o, "seconds", r.seconds) ||
        !field(o, "rounds", r.rounds) || !field(o, "evals", r.evals) ||
        !field(o, "peak_rss_kb", r.peak_rss_kb)) {
      error = where +
              "missing harness, evals_per_s, ns_per_eval, seconds, rounds, evals or peak_rss_kb";
      return std::nullopt;
    }
    text(o, "command", r.command);
    simdjson::dom::object matches;
    if (!o.at_key("matches").get(matches))
      for (auto [trader, count] : matches) {
        double v = 0;
        if (number(count, v)) r.matches[std::string(trader)] = static_cast<std::uint64_t>(v);
      }
    run.results.push_back(std::move(r));
  }
  return run;
}

}  // namespace vyx::bench::peers
