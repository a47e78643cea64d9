// The base of every dialect rule, shaped like a clang-tidy check: the rule
// registers AST matchers (and/or scans the raw source before clang parses it),
// and reports findings with diag(). Findings are diagnostics, never exceptions.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "utils/check_context.hpp"

namespace vyx::compiler::checks {

class check : public clang::ast_matchers::MatchFinder::MatchCallback {
 public:
  check(std::string_view id, check_context& context) : id_(id), context_(context) {}

  std::string_view id() const { return id_; }

  // Runs on the user's raw text before the preprocessor does, so that a
  // forbidden directive is refused before any host file is opened.
  virtual void scan_source(const raw_source&) {}
  virtual void register_matchers(clang::ast_matchers::MatchFinder&) {}
  // Whole-translation-unit analyses (call graph, frame sizes) after matching.
  virtual void on_translation_unit(clang::ASTContext&) {}
  // Clang's own errors that this rule explains better (e.g. `throw` with
  // exceptions disabled): diagnostic id -> the message to show instead.
  virtual std::vector<std::pair<unsigned, std::string>> owned_clang_diagnostics() const {
    return {};
  }

  void run(const clang::ast_matchers::MatchFinder::MatchResult&) override {}

 protected:
  // Reports at `loc` when it lies in the user's file (SDK code is trusted).
  void diag(clang::SourceLocation loc, std::string message) {
    context_.report(loc, id_, std::move(message));
  }
  void diag(const source_position& at, std::string message) {
    context_.report(at, id_, std::move(message));
  }
  bool in_user_code(clang::SourceLocation loc) const { return context_.in_user_code(loc); }
  check_context& context() { return context_; }

 private:
  std::string id_;
  check_context& context_;
};

}  // namespace vyx::compiler::checks
