// dialect-unknown-timeframe: Market::klines takes one of the known timeframes, as a string literal;
// records them for the plugin's metadata. The job's hinted timeframes must be known ones too.
#pragma once

#include <string>
#include <vector>

#include "checks/check.hpp"
#include "checks/dialect_options.hpp"

namespace vyx::compiler::checks {

class unknown_timeframe_check : public check {
 public:
  unknown_timeframe_check(std::string_view id, check_context& context,
                          const dialect_options& options)
      : check(id, context), hinted_(options.hinted_timeframes) {}
  void scan_source(const raw_source& source) override;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  std::vector<std::string> hinted_;
};

}  // namespace vyx::compiler::checks
