// Raw pointer arithmetic and indexing through a pointer escape every bounds
// check; vyx::Series and local arrays (bounds-checked by the sanitizer) are
// the ways to index.
#include "checks/no_pointer_arithmetic_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_pointer_arithmetic_check::register_matchers(MatchFinder& finder) {
  const auto pointer = hasType(hasCanonicalType(pointerType()));
  finder.addMatcher(binaryOperator(hasAnyOperatorName("+", "-", "+=", "-="),
                                   hasEitherOperand(ignoringParenImpCasts(expr(pointer))))
                        .bind("op"),
                    this);
  finder.addMatcher(
      unaryOperator(hasAnyOperatorName("++", "--"), hasUnaryOperand(expr(pointer))).bind("op"),
      this);
  // a[i] where `a` is a pointer (not an array that decayed to one).
  finder.addMatcher(arraySubscriptExpr(hasBase(ignoringParenImpCasts(expr(pointer)))).bind("index"),
                    this);
}

void no_pointer_arithmetic_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* op = result.Nodes.getNodeAs<clang::Expr>("op"))
    diag(op->getExprLoc(),
         "pointer arithmetic is not allowed; index a vyx::Series (s[i], s.ago(n)) or a local array "
         "instead");
  if (const auto* index = result.Nodes.getNodeAs<clang::ArraySubscriptExpr>("index"))
    diag(index->getExprLoc(),
         "indexing through a pointer is not allowed; index a vyx::Series or a local array");
}

}  // namespace vyx::compiler::checks
