// reinterpret_cast, const_cast, __builtin_bit_cast, and any other explicit
// cast whose effect is one of theirs (C-style casts between unrelated
// pointers, pointer <-> integer, dropping const, downcasts).
#include "checks/no_reinterpret_check.hpp"

#include "utils/extra_matchers.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
bool reinterprets(const clang::CastExpr& cast) {
  switch (cast.getCastKind()) {
    case clang::CK_BitCast:
    case clang::CK_LValueBitCast:
    case clang::CK_LValueToRValueBitCast:
    case clang::CK_IntegralToPointer:
    case clang::CK_PointerToIntegral:
    case clang::CK_ReinterpretMemberPointer:
    case clang::CK_BaseToDerived:
    case clang::CK_BaseToDerivedMemberPointer:
      return true;
    default:
      return false;
  }
}

bool drops_const(const clang::ExplicitCastExpr& cast) {
  const clang::QualType to = cast.getTypeAsWritten();
  const clang::QualType from = cast.getSubExprAsWritten()->getType();
  if (to->isPointerType() && from->isPointerType())
    return from->getPointeeType().isConstQualified() && !to->getPointeeType().isConstQualified();
  if (to->isReferenceType())
    return from.isConstQualified() && !to->getPointeeType().isConstQualified();
  return false;
}
}  // namespace

void no_reinterpret_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(cxxReinterpretCastExpr().bind("named"), this);
  finder.addMatcher(cxxConstCastExpr().bind("named"), this);
  finder.addMatcher(matchers::builtin_bit_cast_expr().bind("bit"), this);
  finder.addMatcher(
      explicitCastExpr(unless(cxxReinterpretCastExpr()), unless(cxxConstCastExpr())).bind("other"),
      this);
}

void no_reinterpret_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* c = result.Nodes.getNodeAs<clang::CXXNamedCastExpr>("named"))
    diag(c->getOperatorLoc(),
         std::string("'") + c->getCastName() +
             "' is not allowed: it reinterprets memory or drops const; convert values "
             "with static_cast or construct a new value");
  if (const auto* c = result.Nodes.getNodeAs<clang::Expr>("bit"))
    diag(c->getBeginLoc(),
         "'__builtin_bit_cast' is not allowed: it reinterprets memory; convert values instead");
  if (const auto* c = result.Nodes.getNodeAs<clang::ExplicitCastExpr>("other"))
    if (reinterprets(*c) || drops_const(*c))
      diag(c->getBeginLoc(),
           "this cast reinterprets memory (or drops const) and is not allowed; convert values with "
           "static_cast "
           "between numbers, or construct a new value");
}

}  // namespace vyx::compiler::checks
