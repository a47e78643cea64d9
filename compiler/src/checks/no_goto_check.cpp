// goto and computed goto: structured control flow only (loops, break, return).
#include "checks/no_goto_check.hpp"

#include "utils/extra_matchers.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_goto_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(gotoStmt().bind("goto"), this);
  finder.addMatcher(matchers::indirect_goto_stmt().bind("goto"), this);
  finder.addMatcher(addrLabelExpr().bind("label"), this);
}

void no_goto_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* g = result.Nodes.getNodeAs<clang::Stmt>("goto"))
    diag(g->getBeginLoc(),
         "'goto' is not allowed; use a loop with break/continue, or return early");
  if (const auto* l = result.Nodes.getNodeAs<clang::Expr>("label"))
    diag(l->getBeginLoc(), "taking the address of a label is not allowed; use a switch or if/else");
}

}  // namespace vyx::compiler::checks
