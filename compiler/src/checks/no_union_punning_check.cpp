// Unions: writing one member and reading another reinterprets memory.
#include "checks/no_union_punning_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_union_punning_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(recordDecl(isUnion(), unless(isImplicit())).bind("union"), this);
}

void no_union_punning_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* u = result.Nodes.getNodeAs<clang::RecordDecl>("union"))
    diag(u->getLocation(),
         "unions are not allowed (reading another member than the one written reinterprets "
         "memory); use a struct with one field per value");
}

}  // namespace vyx::compiler::checks
