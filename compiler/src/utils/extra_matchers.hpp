// Node matchers clang 16's AST matcher library does not define yet, made the
// way it makes its own (a dynamic-cast matcher per node class).
#pragma once

#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>
#include <clang/ASTMatchers/ASTMatchers.h>

namespace vyx::compiler::checks::matchers {

using namespace clang::ast_matchers::internal;

inline const VariadicDynCastAllOfMatcher<clang::Stmt, clang::AttributedStmt> attributed_stmt;
inline const VariadicDynCastAllOfMatcher<clang::Stmt, clang::IndirectGotoStmt> indirect_goto_stmt;
inline const VariadicDynCastAllOfMatcher<clang::Stmt, clang::BuiltinBitCastExpr>
    builtin_bit_cast_expr;
inline const VariadicDynCastAllOfMatcher<clang::Stmt, clang::CXXTypeidExpr> cxx_typeid_expr;

}  // namespace vyx::compiler::checks::matchers
