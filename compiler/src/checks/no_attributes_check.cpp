// Attributes change linkage, sections, visibility, constructors, inlining...
// Only a few standard ones that change nothing of the kind are allowed.
#include "checks/no_attributes_check.hpp"

#include <clang/AST/Attr.h>

#include "utils/extra_matchers.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

namespace {
bool harmless(const clang::Attr& a) {
  switch (a.getKind()) {
    case clang::attr::Unused:            // [[maybe_unused]]
    case clang::attr::WarnUnusedResult:  // [[nodiscard]]
    case clang::attr::FallThrough:       // [[fallthrough]]
    case clang::attr::Likely:            // [[likely]]
    case clang::attr::Unlikely:          // [[unlikely]]
    case clang::attr::Aligned:           // alignas
    // The virt-specifiers are keywords that clang records as attributes:
    // they only ask the compiler to check the class hierarchy.
    case clang::attr::Override:  // override
    case clang::attr::Final:     // final
      return true;
    default:
      return false;
  }
}
}  // namespace

void no_attributes_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(decl(unless(isImplicit())).bind("decl"), this);
  finder.addMatcher(matchers::attributed_stmt().bind("stmt"), this);
}

void no_attributes_check::run(const MatchFinder::MatchResult& result) {
  auto report = [&](const clang::Attr* a) {
    // asm labels are dialect-no-asm's to report.
    if (a->isImplicit() || harmless(*a) || a->getKind() == clang::attr::AsmLabel) return;
    diag(a->getLocation(),
         std::string("attribute '") + a->getSpelling() +
             "' is not allowed; remove it (only [[maybe_unused]], [[nodiscard]], [[fallthrough]], "
             "[[likely]], [[unlikely]], alignas, override and final are)");
  };
  if (const auto* d = result.Nodes.getNodeAs<clang::Decl>("decl"))
    for (const clang::Attr* a : d->attrs()) report(a);
  if (const auto* s = result.Nodes.getNodeAs<clang::AttributedStmt>("stmt"))
    for (const clang::Attr* a : s->getAttrs()) report(a);
}

}  // namespace vyx::compiler::checks
