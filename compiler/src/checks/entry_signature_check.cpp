// The two entry points the SDK calls: `bool filter(const vyx::Market&)`
// (required) and `void series(const vyx::Market&, vyx::Plot&)` (optional).
// Also records has_filter/has_series for the descriptor.
#include "checks/entry_signature_check.hpp"

namespace vyx::compiler::checks {

namespace {

bool is_class(clang::QualType t, llvm::StringRef name) {
  const auto* record = t->getAsCXXRecordDecl();
  return record != nullptr && record->getQualifiedNameAsString() == name;
}

bool is_const_ref_to(clang::QualType t, llvm::StringRef name) {
  return t->isLValueReferenceType() && t->getPointeeType().isConstQualified() &&
         is_class(t->getPointeeType(), name);
}

bool is_ref_to(clang::QualType t, llvm::StringRef name) {
  return t->isLValueReferenceType() && !t->getPointeeType().isConstQualified() &&
         is_class(t->getPointeeType(), name);
}

}  // namespace

void entry_signature_check::on_translation_unit(clang::ASTContext&) {
  for (clang::Decl* d : context().user_decls()) {
    const auto* f = llvm::dyn_cast<clang::FunctionDecl>(d);
    if (f == nullptr || !f->getDeclContext()->isTranslationUnit() || !f->getIdentifier()) continue;
    if (f->getName() == "filter") {
      const bool ok = f->getReturnType()->isBooleanType() && f->getNumParams() == 1 &&
                      is_const_ref_to(f->getParamDecl(0)->getType(), "vyx::Market");
      if (!ok)
        diag(f->getLocation(), "'filter' must be declared as 'bool filter(const vyx::Market& m)'");
      else if (f->isThisDeclarationADefinition())
        context().facts().has_filter = true;
    } else if (f->getName() == "series") {
      const bool ok = f->getReturnType()->isVoidType() && f->getNumParams() == 2 &&
                      is_const_ref_to(f->getParamDecl(0)->getType(), "vyx::Market") &&
                      is_ref_to(f->getParamDecl(1)->getType(), "vyx::Plot");
      if (!ok)
        diag(f->getLocation(),
             "'series' must be declared as 'void series(const vyx::Market& m, vyx::Plot& plot)'");
      else if (f->isThisDeclarationADefinition())
        context().facts().has_series = true;
    }
  }
  if (!context().facts().has_filter && !context().has_errors())
    diag(source_position{1, 1},
         "the trader has no filter: define 'bool filter(const vyx::Market& m)'");
}

}  // namespace vyx::compiler::checks
