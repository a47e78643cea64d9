// Recursion makes stack use and running time depend on the data; every
// cycle in the call graph of the user's functions is reported once, at the
// first function of the cycle.
#include "checks/no_recursion_check.hpp"

#include <clang/Analysis/CallGraph.h>
#include <llvm/ADT/SCCIterator.h>

namespace vyx::compiler::checks {

void no_recursion_check::on_translation_unit(clang::ASTContext&) {
  clang::CallGraph graph;
  for (clang::Decl* d : context().user_decls()) graph.addToCallGraph(d);
  for (auto scc = llvm::scc_begin(&graph); !scc.isAtEnd(); ++scc) {
    const std::vector<clang::CallGraphNode*>& nodes = *scc;
    bool cyclic = nodes.size() > 1;
    if (!cyclic && nodes.front()->getDecl() != nullptr)
      for (const clang::CallGraphNode::CallRecord& callee : *nodes.front())
        if (callee.Callee == nodes.front()) cyclic = true;
    if (!cyclic) continue;
    const clang::NamedDecl* first = nullptr;
    std::string others;
    for (const clang::CallGraphNode* n : nodes) {
      const clang::NamedDecl* f = llvm::dyn_cast_or_null<clang::NamedDecl>(n->getDecl());
      // Report where the function is defined, not where it was first declared.
      if (const auto* fn = llvm::dyn_cast_or_null<clang::FunctionDecl>(f);
          fn != nullptr && fn->getDefinition())
        f = fn->getDefinition();
      if (f == nullptr || !in_user_code(f->getLocation())) continue;
      if (first == nullptr || context().source_manager()->isBeforeInTranslationUnit(
                                  f->getLocation(), first->getLocation())) {
        if (first != nullptr) others += (others.empty() ? "" : ", ") + first->getNameAsString();
        first = f;
      } else {
        others += (others.empty() ? "" : ", ") + f->getNameAsString();
      }
    }
    if (first == nullptr) continue;
    diag(first->getLocation(),
         "function '" + first->getNameAsString() + "' is recursive" +
             (others.empty() ? std::string(" (it calls itself)") : " (through " + others + ")") +
             "; recursion is not allowed, use a loop");
  }
}

}  // namespace vyx::compiler::checks
