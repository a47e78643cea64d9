// Bounds each function's locals (the sum of their sizes, an upper bound of
// the frame before optimisation) and refuses variable-length arrays, so the
// worker's stack cannot be exhausted by one call.
#include "checks/stack_frame_limit_check.hpp"

#include <clang/AST/RecursiveASTVisitor.h>

#include <functional>

namespace vyx::compiler::checks {

namespace {

class frame_visitor : public clang::RecursiveASTVisitor<frame_visitor> {
 public:
  frame_visitor(clang::ASTContext& ast, std::uint64_t limit_bytes,
                std::function<void(clang::SourceLocation, std::string)> report)
      : ast_(ast), limit_bytes_(limit_bytes), report_(std::move(report)) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBody() const { return false; }  // a lambda's body is its own frame

  bool TraverseFunctionDecl(clang::FunctionDecl* f) {
    return traverse_function(f, [&] { return Base::TraverseFunctionDecl(f); });
  }
  bool TraverseCXXMethodDecl(clang::CXXMethodDecl* f) {
    return traverse_function(f, [&] { return Base::TraverseCXXMethodDecl(f); });
  }
  bool TraverseLambdaExpr(clang::LambdaExpr* l) {
    clang::CXXMethodDecl* call = l->getCallOperator();
    return traverse_function(call, [&] { return TraverseStmt(call->getBody()); });
  }

  bool VisitVarDecl(clang::VarDecl* v) {
    if (frames_.empty() || !v->hasLocalStorage()) return true;
    const clang::QualType t = v->getType();
    if (t->isVariableArrayType()) {
      report_(v->getLocation(), "variable-length array '" + v->getNameAsString() +
                                    "' is not allowed; use a fixed size (a constexpr bound)");
      return true;
    }
    if (t->isDependentType() || t->isIncompleteType() || t->isReferenceType()) return true;
    frames_.back().bytes += ast_.getTypeSizeInChars(t).getQuantity();
    return true;
  }

 private:
  using Base = clang::RecursiveASTVisitor<frame_visitor>;
  struct frame {
    clang::FunctionDecl* function;
    std::uint64_t bytes = 0;
  };
  template <class Traverse>
  bool traverse_function(clang::FunctionDecl* f, Traverse traverse) {
    if (f == nullptr || !f->hasBody()) return traverse();
    frames_.push_back(frame{f});
    const bool ok = traverse();
    const frame done = frames_.back();
    frames_.pop_back();
    if (done.bytes > limit_bytes_)
      report_(f->getLocation(), "function '" + f->getNameAsString() + "' needs " +
                                    std::to_string((done.bytes + 1023) / 1024) +
                                    " KiB of local variables; the limit is " +
                                    std::to_string(limit_bytes_ / 1024) +
                                    " KiB: use smaller local arrays or compute over vyx::Series");
    return ok;
  }
  clang::ASTContext& ast_;
  std::uint64_t limit_bytes_;
  std::function<void(clang::SourceLocation, std::string)> report_;
  std::vector<frame> frames_;
};

}  // namespace

void stack_frame_limit_check::on_translation_unit(clang::ASTContext& ast) {
  frame_visitor visitor(ast, limit_bytes_, [this](clang::SourceLocation at, std::string message) {
    diag(at, std::move(message));
  });
  for (clang::Decl* d : context().user_decls()) visitor.TraverseDecl(d);
}

}  // namespace vyx::compiler::checks
