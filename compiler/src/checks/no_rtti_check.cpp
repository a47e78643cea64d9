// typeid and dynamic_cast: plugins are built with -fno-rtti.
#include "checks/no_rtti_check.hpp"

#include <clang/Basic/DiagnosticSema.h>

#include "utils/extra_matchers.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_rtti_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(matchers::cxx_typeid_expr().bind("typeid"), this);
  finder.addMatcher(cxxDynamicCastExpr().bind("dynamic"), this);
}

void no_rtti_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* e = result.Nodes.getNodeAs<clang::Expr>("typeid"))
    diag(e->getBeginLoc(),
         "'typeid' is not allowed (no RTTI); use a plain enum field to tell kinds apart");
  if (const auto* e = result.Nodes.getNodeAs<clang::Expr>("dynamic"))
    diag(e->getBeginLoc(),
         "'dynamic_cast' is not allowed (no RTTI); use a virtual function or an enum field");
}

std::vector<std::pair<unsigned, std::string>> no_rtti_check::owned_clang_diagnostics() const {
  return {{clang::diag::err_no_typeid_with_fno_rtti,
           "'typeid' is not allowed (no RTTI); use a plain enum field to tell kinds apart"},
          {clang::diag::err_no_dynamic_cast_with_fno_rtti,
           "'dynamic_cast' is not allowed (no RTTI); use a virtual function or an enum field"}};
}

}  // namespace vyx::compiler::checks
