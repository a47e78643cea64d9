// What every rule shares: where the user's code is, where findings go, and the
// facts the rules learn for the plugin's metadata (timeframes, history, series).
#pragma once

#include <clang/AST/DeclBase.h>
#include <clang/Basic/SourceLocation.h>
#include <clang/Basic/SourceManager.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/user_source.hpp"
#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler::checks {

struct source_position {
  int line = 1;
  int column = 1;
};

// The user's file as text, for the rules that scan it before parsing.
struct raw_source {
  std::string_view text;
  source_position position_of(std::size_t offset) const;
};

// What the rules found out about the trader, for its descriptor.
struct trader_facts {
  std::set<std::string> timeframes;  // literals passed to Market::klines
  std::uint32_t history_bars = 0;
  bool has_filter = false;
  bool has_series = false;
};

class check_context {
 public:
  explicit check_context(std::string user_file_name) : user_file_name_(std::move(user_file_name)) {}

  void set_source_manager(const clang::SourceManager* sm) { source_manager_ = sm; }
  const clang::SourceManager* source_manager() const { return source_manager_; }
  // The path the user's code has inside the compile (not what diagnostics call it).
  static constexpr std::string_view user_path = user_source_path;

  bool in_user_code(clang::SourceLocation loc) const;
  void report(clang::SourceLocation loc, std::string_view rule, std::string message);
  void report(const source_position& at, std::string_view rule, std::string message);

  const std::vector<diagnostic>& findings() const { return findings_; }
  bool has_errors() const { return !findings_.empty(); }
  trader_facts& facts() { return facts_; }
  // The user's top-level declarations, in order (what the rules traverse:
  // the SDK, loaded from the precompiled header, is never walked).
  std::vector<clang::Decl*>& user_decls() { return user_decls_; }

 private:
  std::string user_file_name_;
  const clang::SourceManager* source_manager_ = nullptr;
  std::vector<diagnostic> findings_;
  trader_facts facts_;
  std::vector<clang::Decl*> user_decls_;
};

}  // namespace vyx::compiler::checks
