// dialect-unknown-timeframe: Market::klines takes one of the known timeframes, as a string literal;
// records them for the plugin's metadata.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class unknown_timeframe_check : public check {
 public:
  using check::check;
  void register_matchers(clang::ast_matchers::MatchFinder& finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace vyx::compiler::checks
