// The allowlist: every function, variable, type and constructor that user
// code names must be declared in the user's own file or in the SDK's public
// namespace `vyx` (not vyx::ta, the raw indicator library, nor vyx::sdk_detail).
// A name is judged by the declaration it resolves to, so `std::sqrt` is judged
// as the C library's `sqrt` it really calls.
#include "checks/call_allowlist_check.hpp"

#include <clang/AST/DeclCXX.h>

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {

enum class verdict { allowed, outside, internal };

verdict judge(const clang::Decl* d, const check_context& context) {
  if (d == nullptr) return verdict::allowed;
  if (context.in_user_code(d->getLocation())) return verdict::allowed;
  // Function parameters and locals are the user's when their function is.
  const clang::DeclContext* dc = d->getDeclContext();
  for (; dc != nullptr; dc = dc->getParent()) {
    if (const auto* ns = llvm::dyn_cast<clang::NamespaceDecl>(dc)) {
      const clang::NamespaceDecl* outer = ns;
      while (const auto* parent = llvm::dyn_cast<clang::NamespaceDecl>(outer->getParent())) {
        if (parent->isInline()) break;
        outer = parent;
      }
      if (outer->getName() != "vyx") return verdict::outside;
      for (const clang::DeclContext* c = d->getDeclContext(); c != nullptr; c = c->getParent())
        if (const auto* inner = llvm::dyn_cast<clang::NamespaceDecl>(c))
          if (inner->getName() == "ta" || inner->getName() == "sdk_detail")
            return verdict::internal;
      return verdict::allowed;
    }
  }
  return verdict::outside;
}

std::string name_of(const clang::NamedDecl* d) {
  return d == nullptr ? "?" : d->getQualifiedNameAsString();
}

// The SDK's hooks for the Go front end's translations only.
bool is_go_hook(const clang::NamedDecl* d) {
  return d != nullptr && name_of(d).rfind("vyx::sdk_detail::go_", 0) == 0;
}

}  // namespace

void call_allowlist_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(declRefExpr().bind("ref"), this);
  finder.addMatcher(memberExpr().bind("member"), this);
  finder.addMatcher(cxxConstructExpr().bind("construct"), this);
  finder.addMatcher(cxxNewExpr().bind("new"), this);
  finder.addMatcher(cxxDeleteExpr().bind("delete"), this);
  finder.addMatcher(
      typeLoc(loc(qualType(hasDeclaration(namedDecl().bind("type_decl"))))).bind("type"), this);
}

void call_allowlist_check::run(const MatchFinder::MatchResult& result) {
  auto check_decl = [&](clang::SourceLocation at, const clang::NamedDecl* target,
                        const clang::NamedDecl* written) {
    if (!in_user_code(at)) return;
    const verdict v = judge(target, context());
    if (v == verdict::allowed) return;
    if (v == verdict::internal && go_translation_ && is_go_hook(target)) return;
    // Appended piece by piece: GCC 12 misreads "'" + std::string&& (its bug 105651).
    std::string name = "'";
    name += name_of(written ? written : target);
    name += "'";
    if (written != nullptr && written != target) {
      name += " (which resolves to '";
      name += name_of(target);
      name += "')";
    }
    if (v == verdict::internal)
      diag(at,
           name +
               " is internal to the SDK; use the public vyx:: functions (e.g. vyx::rsi, vyx::ema)");
    else
      diag(at, name +
                   " is not part of the SDK; only vyx:: functions and types and your own code may "
                   "be used "
                   "(math is vyx::sqrt, vyx::abs, vyx::max, ...)");
  };
  if (const auto* ref = result.Nodes.getNodeAs<clang::DeclRefExpr>("ref")) {
    const clang::ValueDecl* d = ref->getDecl();
    if (llvm::isa<clang::ParmVarDecl>(d) ||
        (llvm::isa<clang::VarDecl>(d) && llvm::cast<clang::VarDecl>(d)->isLocalVarDecl()))
      return;
    const clang::NamedDecl* found = ref->getFoundDecl();
    if (const auto* shadow = llvm::dyn_cast<clang::UsingShadowDecl>(found))
      found = shadow->getIntroducer();
    check_decl(ref->getLocation(), d, found == d ? nullptr : found);
  }
  if (const auto* member = result.Nodes.getNodeAs<clang::MemberExpr>("member"))
    check_decl(member->getMemberLoc(), member->getMemberDecl(), nullptr);
  if (const auto* construct = result.Nodes.getNodeAs<clang::CXXConstructExpr>("construct"))
    check_decl(construct->getLocation(), construct->getConstructor()->getParent(), nullptr);
  if (const auto* e = result.Nodes.getNodeAs<clang::CXXNewExpr>("new"))
    if (in_user_code(e->getBeginLoc()))
      diag(e->getBeginLoc(),
           "'new' is not allowed (no dynamic allocation); use local variables or vyx::Series");
  if (const auto* e = result.Nodes.getNodeAs<clang::CXXDeleteExpr>("delete"))
    if (in_user_code(e->getBeginLoc()))
      diag(e->getBeginLoc(), "'delete' is not allowed (no dynamic allocation)");
  if (const auto* type = result.Nodes.getNodeAs<clang::TypeLoc>("type")) {
    const auto* d = result.Nodes.getNodeAs<clang::NamedDecl>("type_decl");
    if (llvm::isa<clang::TemplateTypeParmDecl>(d)) return;
    check_decl(type->getBeginLoc(), d, nullptr);
  }
}

}  // namespace vyx::compiler::checks
