// The analysis settings of `vyx run`, read from the environment.
#include "analysis_mode.hpp"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vyx::cli {
namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// An unsigned setting in [low, high], or `fallback` when unset.
unsigned setting(const char* name, unsigned fallback, unsigned low, unsigned high) {
  const std::string text = environment(name);
  if (text.empty()) return fallback;
  char* end = nullptr;
  errno = 0;
  const unsigned long value = std::strtoul(text.c_str(), &end, 10);
  if (errno || *end || text.front() == '-' || value < low || value > high)
    throw std::runtime_error(std::string(name) + " must be a whole number from " + std::to_string(low) +
                             " to " + std::to_string(high) + " (got '" + text + "')");
  return static_cast<unsigned>(value);
}

}  // namespace

std::optional<runtime::analysis_queue_options> analysis_from_environment(
    const std::filesystem::path& database) {
  runtime::analysis_queue_options o;
  o.provider.api_key = environment("OPENROUTER_API_KEY");
  if (o.provider.api_key.empty()) return std::nullopt;
  o.database = database;
  if (auto url = environment("OPENROUTER_API_URL"); !url.empty()) o.provider.url = url;
  if (auto model = environment("VYX_ANALYSIS_MODEL"); !model.empty()) o.provider.model = model;
  if (auto text = environment("VYX_ANALYSIS_TEMPERATURE"); !text.empty()) {
    char* end = nullptr;
    const double t = std::strtod(text.c_str(), &end);
    if (*end || !(t >= 0 && t <= 2))
      throw std::runtime_error("VYX_ANALYSIS_TEMPERATURE must be a number from 0 to 2 (got '" + text + "')");
    o.provider.temperature = t;
  }
  o.provider.ca_file = environment("VYX_ANALYSIS_CA_FILE");
  o.provider.timeout = std::chrono::milliseconds(setting("VYX_ANALYSIS_TIMEOUT_MS", 60'000, 100, 600'000));
  o.concurrency = setting("VYX_ANALYSIS_CONCURRENCY", o.concurrency, 1, 16);
  o.requests_per_minute = setting("VYX_ANALYSIS_RPM", o.requests_per_minute, 1, 6'000);
  o.daily_budget = setting("VYX_ANALYSIS_DAILY_BUDGET", o.daily_budget, 0, 1'000'000);
  o.max_pending = setting("VYX_ANALYSIS_MAX_PENDING", static_cast<unsigned>(o.max_pending), 1, 1'000'000);
  return o;
}

runtime::analysis_subject_lookup local_trader_owners(const std::filesystem::path& traders_dir) {
  return [traders_dir](const std::string& trader) -> std::optional<runtime::analysis_subject> {
    runtime::analysis_subject owner{"local", "elite", true, ""};
    // A trader id is a file stem in the folder: it never holds a '/'.
    if (trader.find('/') != std::string::npos) return owner;
    std::ifstream in(traders_dir / (trader + ".strategy.md"), std::ios::binary);
    if (in) {
      std::ostringstream text;
      text << in.rdbuf();
      owner.instructions = text.str().substr(0, 16'000);  // a bound on the prompt
    }
    return owner;
  };
}

}  // namespace vyx::cli
