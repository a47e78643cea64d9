// Turns clang's own diagnostics into vyx diagnostics that point at the
// user's file: an error inside SDK code is moved to the user line that led
// there, notes in host files are dropped, and no host source text is ever
// quoted (only clang's message, never a source line).
#pragma once

#include <clang/Basic/Diagnostic.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vyx/compiler/compiler.hpp"

namespace vyx::compiler {

class diagnostic_collector : public clang::DiagnosticConsumer {
 public:
  explicit diagnostic_collector(std::string user_file_name)
      : user_file_name_(std::move(user_file_name)) {}

  // Clang diagnostic id -> (rule, message): errors a dialect rule explains better.
  void own(unsigned clang_id, std::string rule, std::string message);
  // A diagnostic id this consumer swallows (the checker's "stop codegen" marker).
  void ignore(unsigned clang_id) { ignored_.push_back(clang_id); }

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override;
  void finish() { flush(); }

  std::vector<diagnostic>& diagnostics() { return out_; }

 private:
  void flush();
  std::optional<std::pair<int, int>> user_position(const clang::Diagnostic& info) const;

  std::string user_file_name_;
  std::map<unsigned, std::pair<std::string, std::string>> owned_;
  std::vector<unsigned> ignored_;
  std::vector<diagnostic> out_;
  std::optional<diagnostic> pending_;  // an error still looking for a user position
  bool pending_placed_ = false;
};

}  // namespace vyx::compiler
