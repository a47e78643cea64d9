// extern declarations name symbols outside the trader (host or libc), and
// linkage blocks (extern "C") export or import them.
#include "checks/no_extern_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_extern_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(linkageSpecDecl().bind("linkage"), this);
  finder.addMatcher(varDecl().bind("var"), this);
  finder.addMatcher(functionDecl().bind("function"), this);
}

void no_extern_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* l = result.Nodes.getNodeAs<clang::Decl>("linkage"))
    diag(l->getBeginLoc(),
         "language linkage ('extern \"C\"') is not allowed; declare plain C++ functions");
  if (const auto* v = result.Nodes.getNodeAs<clang::VarDecl>("var"))
    if (v->hasExternalStorage() || v->isExternC())
      diag(v->getLocation(), "extern variable '" + v->getNameAsString() +
                                 "' is not allowed; a trader only sees the market it is given");
  if (const auto* f = result.Nodes.getNodeAs<clang::FunctionDecl>("function"))
    if (f->getStorageClass() == clang::SC_Extern || (f->isExternC() && !f->isImplicit()))
      diag(f->getLocation(), "extern function '" + f->getNameAsString() +
                                 "' is not allowed; define plain C++ functions in your file");
}

}  // namespace vyx::compiler::checks
