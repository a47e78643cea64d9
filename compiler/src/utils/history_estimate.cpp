// size() comparisons give the trader's own guard ("k.size() < 50"); an
// indicator's period p needs about 3p bars for its value to settle (EMA and
// Wilder smoothing), so the estimate is the larger of the two, capped.
#include "utils/history_estimate.hpp"

#include <algorithm>

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
constexpr std::uint64_t cap = 5000;
}

void history_estimate::register_matchers(MatchFinder& finder) {
  finder.addMatcher(
      binaryOperator(isComparisonOperator(),
                     hasEitherOperand(ignoringParenImpCasts(
                         cxxMemberCallExpr(callee(cxxMethodDecl(hasName("size")))))),
                     hasEitherOperand(ignoringParenImpCasts(integerLiteral().bind("guard")))),
      this);
  finder.addMatcher(
      callExpr(callee(functionDecl(hasDeclContext(namespaceDecl(hasName("vyx"))))),
               forEachArgumentWithParam(ignoringParenImpCasts(integerLiteral().bind("period")),
                                        parmVarDecl(hasType(isInteger())))),
      this);
}

void history_estimate::run(const MatchFinder::MatchResult& result) {
  std::uint64_t bars = 0;
  const clang::IntegerLiteral* literal = result.Nodes.getNodeAs<clang::IntegerLiteral>("guard");
  if (literal != nullptr) bars = literal->getValue().getLimitedValue(cap);
  if (const auto* period = result.Nodes.getNodeAs<clang::IntegerLiteral>("period")) {
    literal = period;
    bars = 3 * period->getValue().getLimitedValue(cap);
  }
  if (literal == nullptr || !context_.in_user_code(literal->getBeginLoc())) return;
  std::uint32_t& h = context_.facts().history_bars;
  h = static_cast<std::uint32_t>(std::max<std::uint64_t>(h, std::min(bars, cap)));
}

}  // namespace vyx::compiler::checks
