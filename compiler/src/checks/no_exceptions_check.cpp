// throw/try/catch: plugins are built with -fno-exceptions and must report
// problems through their return values.
#include "checks/no_exceptions_check.hpp"

#include <clang/Basic/DiagnosticSema.h>

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
constexpr const char* advice =
    "exceptions are not allowed in a trader; return false (no signal) or a NaN value instead";
}

void no_exceptions_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(cxxThrowExpr().bind("x"), this);
  finder.addMatcher(cxxTryStmt().bind("x"), this);
}

void no_exceptions_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* s = result.Nodes.getNodeAs<clang::Stmt>("x")) diag(s->getBeginLoc(), advice);
}

std::vector<std::pair<unsigned, std::string>> no_exceptions_check::owned_clang_diagnostics() const {
  return {{clang::diag::err_exceptions_disabled, advice}};
}

}  // namespace vyx::compiler::checks
