// Inline asm statements, file-scope asm and asm labels (`int x asm("sym")`)
// let code name host symbols or run arbitrary instructions.
#include "checks/no_asm_check.hpp"

namespace vyx::compiler::checks {
using namespace clang::ast_matchers;

void no_asm_check::register_matchers(MatchFinder& finder) {
  finder.addMatcher(asmStmt().bind("stmt"), this);
  finder.addMatcher(decl(hasAttr(clang::attr::AsmLabel)).bind("label"), this);
}

void no_asm_check::run(const MatchFinder::MatchResult& result) {
  if (const auto* s = result.Nodes.getNodeAs<clang::Stmt>("stmt"))
    diag(s->getBeginLoc(),
         "inline assembly is not allowed; write it in C++ with the vyx:: functions");
  if (const auto* d = result.Nodes.getNodeAs<clang::Decl>("label"))
    diag(d->getLocation(),
         "asm labels are not allowed; remove the asm(\"...\") part of the declaration");
}

void no_asm_check::on_translation_unit(clang::ASTContext&) {
  for (clang::Decl* d : context().user_decls())
    if (llvm::isa<clang::FileScopeAsmDecl>(d))
      diag(d->getBeginLoc(), "file-scope assembly is not allowed; remove it");
}

}  // namespace vyx::compiler::checks
