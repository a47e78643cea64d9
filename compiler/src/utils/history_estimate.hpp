// Not a rule: estimates how many closed candles the trader needs (the
// descriptor's history_bars) from the integer literals it compares with a
// size() and the periods it passes to vyx:: indicators.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include "utils/check_context.hpp"

namespace vyx::compiler::checks {

class history_estimate : public clang::ast_matchers::MatchFinder::MatchCallback {
 public:
  explicit history_estimate(check_context& context) : context_(context) {}
  void register_matchers(clang::ast_matchers::MatchFinder& finder);
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  check_context& context_;
};

}  // namespace vyx::compiler::checks
