// `vyx run` as the Postgres tests start it: environment (DATABASE_URL,
// USER_ID, the compile cache) set for the child only, the HTTP port read
// from its "listening on" line, /metrics counters read back.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace vyx::test {

class vyx_process {
 public:
  vyx_process(std::vector<std::string> args, const std::map<std::string, std::string>& env,
              const std::filesystem::path& stdout_file);
  ~vyx_process();

  std::uint16_t port() const { return port_; }
  // A counter or gauge from /metrics; -1 when absent or unreachable.
  double metric(const std::string& name) const;
  child_process& child() { return *child_; }

 private:
  std::unique_ptr<child_process> child_;
  std::uint16_t port_ = 0;
};

// Runs `vyx-gen-market` (symbols x days of 1m/5m/15m/1h candles) into `dir`.
void generate_market(const std::filesystem::path& dir, int symbols, int days);

}  // namespace vyx::test
