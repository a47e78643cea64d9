// Market::klines must get a timeframe the platform streams, written as a
// string literal so that the compiler knows, before running anything, which
// timeframes the plugin needs (they go into its descriptor).
#include "checks/unknown_timeframe_check.hpp"

#include <array>
#include <string_view>

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
constexpr std::array<std::string_view, 6> known = {"1m", "5m", "15m", "1h", "4h", "1d"};
}

void unknown_timeframe_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(
      cxxMemberCallExpr(callee(cxxMethodDecl(hasName("klines"), ofClass(hasName("::vyx::Market")))))
          .bind("call"),
      this);
}

void unknown_timeframe_check::run(const MatchFinder::MatchResult& result) {
  const auto* call = result.Nodes.getNodeAs<clang::CXXMemberCallExpr>("call");
  if (call == nullptr || call->getNumArgs() != 1 || !in_user_code(call->getExprLoc())) return;
  const clang::Expr* arg = call->getArg(0)->IgnoreParenImpCasts();
  const auto* literal = llvm::dyn_cast<clang::StringLiteral>(arg);
  if (literal == nullptr || !literal->isOrdinary()) {
    diag(arg->getBeginLoc(),
         "the timeframe must be a string literal such as \"5m\" (one of 1m, 5m, 15m, 1h, 4h, 1d), "
         "so that the compiler can record it");
    return;
  }
  const std::string tf = literal->getString().str();
  for (std::string_view k : known)
    if (tf == k) {
      context().facts().timeframes.insert(tf);
      return;
    }
  diag(arg->getBeginLoc(), "unknown timeframe \"" + tf +
                               "\"; use one of \"1m\", \"5m\", \"15m\", \"1h\", \"4h\", \"1d\"");
}

}  // namespace vyx::compiler::checks
