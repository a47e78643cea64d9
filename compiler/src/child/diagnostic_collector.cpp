// Collecting clang's diagnostics at user positions.
#include "child/diagnostic_collector.hpp"

#include <clang/Basic/DiagnosticAST.h>
#include <clang/Basic/DiagnosticSema.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/ADT/SmallString.h>

#include <algorithm>

#include "utils/check_context.hpp"

namespace vyx::compiler {

void diagnostic_collector::own(unsigned clang_id, std::string rule, std::string message) {
  owned_[clang_id] = {std::move(rule), std::move(message)};
}

std::optional<std::pair<int, int>> diagnostic_collector::user_position(
    const clang::Diagnostic& info) const {
  if (!info.hasSourceManager() || info.getLocation().isInvalid()) return std::nullopt;
  const clang::SourceManager& sm = info.getSourceManager();
  const clang::SourceLocation at = sm.getExpansionLoc(info.getLocation());
  const clang::FileEntry* entry = sm.getFileEntryForID(sm.getFileID(at));
  if (entry == nullptr ||
      entry->getName() != llvm::StringRef(checks::check_context::user_path.data(),
                                          checks::check_context::user_path.size()))
    return std::nullopt;
  const clang::PresumedLoc p = sm.getPresumedLoc(at);
  return std::make_pair(static_cast<int>(p.getLine()), static_cast<int>(p.getColumn()));
}

void diagnostic_collector::flush() {
  if (pending_) out_.push_back(std::move(*pending_));
  pending_.reset();
  pending_placed_ = false;
}

void diagnostic_collector::HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                                            const clang::Diagnostic& info) {
  clang::DiagnosticConsumer::HandleDiagnostic(level, info);
  if (std::find(ignored_.begin(), ignored_.end(), info.getID()) != ignored_.end()) return;
  if (level == clang::DiagnosticsEngine::Ignored || level == clang::DiagnosticsEngine::Remark)
    return;
  const auto position = user_position(info);

  if (level == clang::DiagnosticsEngine::Note) {
    // Limits hit inside constant evaluation arrive as a note on a generic error.
    const unsigned id = info.getID();
    if (pending_ && (id == clang::diag::note_constexpr_step_limit_exceeded ||
                     id == clang::diag::note_constexpr_depth_limit_exceeded ||
                     id == clang::diag::note_constexpr_call_limit_exceeded)) {
      pending_->rule = "compile-limit";
      pending_->message =
          "compile limit exceeded: constant evaluation takes too many steps; compute it at run "
          "time";
    }
    // A note at a user line places an error raised inside the SDK
    // ("in instantiation of ... requested here").
    if (pending_ && !pending_placed_ && position) {
      pending_->line = position->first;
      pending_->column = position->second;
      pending_placed_ = true;
    }
    return;
  }

  flush();
  llvm::SmallString<256> text;
  info.FormatDiagnostic(text);
  diagnostic d;
  d.file = user_file_name_;
  d.severity = level == clang::DiagnosticsEngine::Warning ? "warning" : "error";
  d.rule = "compile";
  d.message = std::string(text.str());
  if (auto it = owned_.find(info.getID()); it != owned_.end()) {
    d.rule = it->second.first;
    d.message = it->second.second;
  }
  if (info.getID() == clang::diag::err_template_recursion_depth_exceeded) {
    d.rule = "compile-limit";
    d.message = "compile limit exceeded: templates nest too deeply; simplify the template code";
  }
  if (position) {
    d.line = position->first;
    d.column = position->second;
    pending_ = std::move(d);
    pending_placed_ = true;
  } else {
    d.line = 1;
    d.column = 1;
    pending_ = std::move(d);
    pending_placed_ = false;
  }
}

}  // namespace vyx::compiler
