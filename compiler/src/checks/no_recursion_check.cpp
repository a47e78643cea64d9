// Recursion makes stack use and running time depend on the data; every
// cycle in the call graph of the user's functions is reported once, at the
// first function of the cycle. Calls the AST cannot resolve count too: a
// call through a function pointer may reach any user function whose address
// is taken, and a virtual call any override of the method it names, so
// recursion through either is a cycle like any other.
#include "checks/no_recursion_check.hpp"

#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Analysis/CallGraph.h>
#include <llvm/ADT/SCCIterator.h>

#include <set>
#include <vector>

namespace vyx::compiler::checks {
namespace {

// The edges clang's CallGraph leaves out: indirect and virtual calls.
class indirect_calls : public clang::RecursiveASTVisitor<indirect_calls> {
 public:
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  void walk_function(clang::FunctionDecl* f) {
    if (!f->hasBody()) return;
    functions.insert(f->getCanonicalDecl());
    current_.push_back(f->getCanonicalDecl());
    TraverseStmt(f->getBody());
    current_.pop_back();
  }

  bool TraverseLambdaExpr(clang::LambdaExpr* lambda) {
    clang::CXXMethodDecl* call = lambda->getCallOperator();
    functions.insert(call->getCanonicalDecl());
    current_.push_back(call->getCanonicalDecl());
    const bool go_on = TraverseStmt(lambda->getBody());
    current_.pop_back();
    return go_on;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    if (current_.empty()) return true;
    clang::Expr* callee = call->getCallee() ? call->getCallee()->IgnoreParenImpCasts() : nullptr;
    if (callee != nullptr) direct_callees_.insert(callee);
    const clang::FunctionDecl* target = call->getDirectCallee();
    if (target == nullptr) {
      indirect.push_back({current_.back(), call});
    } else if (const auto* conversion = llvm::dyn_cast<clang::CXXConversionDecl>(target);
               conversion != nullptr && conversion->getParent()->isLambda()) {
      // A lambda turned into a function pointer: its body may be called through it.
      address_taken.insert(conversion->getParent()->getLambdaCallOperator()->getCanonicalDecl());
    } else if (llvm::isa<clang::CXXMemberCallExpr>(call)) {
      const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(target);
      const auto* named = llvm::dyn_cast_or_null<clang::MemberExpr>(callee);
      if (method != nullptr && method->isVirtual() && (named == nullptr || !named->hasQualifier()))
        virtual_calls.push_back({current_.back(), call, method->getCanonicalDecl()});
    }
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* ref) { return note_reference(ref, ref->getDecl()); }
  bool VisitMemberExpr(clang::MemberExpr* ref) { return note_reference(ref, ref->getMemberDecl()); }

  struct indirect_call {
    clang::FunctionDecl* from;
    clang::CallExpr* call;
  };
  struct virtual_call {
    clang::FunctionDecl* from;
    clang::CallExpr* call;
    const clang::CXXMethodDecl* method;
  };
  std::set<clang::FunctionDecl*> functions, address_taken;
  std::vector<indirect_call> indirect;
  std::vector<virtual_call> virtual_calls;

 private:
  bool note_reference(clang::Expr* ref, clang::ValueDecl* decl) {
    auto* f = llvm::dyn_cast_or_null<clang::FunctionDecl>(decl);
    // Visited after the call around it: a callee named here is a direct call.
    if (f != nullptr && !direct_callees_.count(ref)) address_taken.insert(f->getCanonicalDecl());
    return true;
  }

  std::vector<clang::FunctionDecl*> current_;
  std::set<const clang::Expr*> direct_callees_;
};

bool overrides(const clang::CXXMethodDecl* method, const clang::CXXMethodDecl* base) {
  if (method->getCanonicalDecl() == base) return true;
  for (const clang::CXXMethodDecl* up : method->overridden_methods())
    if (overrides(up, base)) return true;
  return false;
}

void add_unresolved_edges(clang::CallGraph& graph, const std::vector<clang::Decl*>& user_decls) {
  indirect_calls calls;
  std::vector<clang::FunctionDecl*> roots;
  for (clang::Decl* d : user_decls) {
    if (auto* f = llvm::dyn_cast<clang::FunctionDecl>(d)) roots.push_back(f);
    if (auto* t = llvm::dyn_cast<clang::FunctionTemplateDecl>(d))
      for (clang::FunctionDecl* spec : t->specializations()) roots.push_back(spec);
    if (auto* record = llvm::dyn_cast<clang::CXXRecordDecl>(d))
      for (clang::CXXMethodDecl* m : record->methods()) roots.push_back(m);
  }
  for (clang::FunctionDecl* f : roots) calls.walk_function(f);
  for (const auto& [from, call] : calls.indirect)
    for (clang::FunctionDecl* to : calls.address_taken)
      graph.getOrInsertNode(from)->addCallee({graph.getOrInsertNode(to), call});
  for (const auto& [from, call, method] : calls.virtual_calls)
    for (clang::FunctionDecl* to : calls.functions)
      if (const auto* m = llvm::dyn_cast<clang::CXXMethodDecl>(to); m != nullptr && overrides(m, method))
        graph.getOrInsertNode(from)->addCallee({graph.getOrInsertNode(to), call});
}

}  // namespace

void no_recursion_check::on_translation_unit(clang::ASTContext&) {
  clang::CallGraph graph;
  for (clang::Decl* d : context().user_decls()) graph.addToCallGraph(d);
  add_unresolved_edges(graph, context().user_decls());
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
