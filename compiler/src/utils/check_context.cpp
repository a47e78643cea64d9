// Locating user code and recording findings.
#include "utils/check_context.hpp"

namespace vyx::compiler::checks {

source_position raw_source::position_of(std::size_t offset) const {
  source_position p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

bool check_context::in_user_code(clang::SourceLocation loc) const {
  if (source_manager_ == nullptr || loc.isInvalid()) return false;
  const clang::SourceLocation expansion = source_manager_->getExpansionLoc(loc);
  const clang::FileID file = source_manager_->getFileID(expansion);
  const clang::FileEntry* entry = source_manager_->getFileEntryForID(file);
  return entry != nullptr &&
         entry->getName() == llvm::StringRef(user_path.data(), user_path.size());
}

void check_context::report(clang::SourceLocation loc, std::string_view rule, std::string message) {
  if (!in_user_code(loc)) return;
  const clang::PresumedLoc p =
      source_manager_->getPresumedLoc(source_manager_->getExpansionLoc(loc));
  report(source_position{static_cast<int>(p.getLine()), static_cast<int>(p.getColumn())}, rule,
         std::move(message));
}

void check_context::report(const source_position& at, std::string_view rule, std::string message) {
  // One finding per rule and position: an implicit expression and the
  // statement around it often match the same pattern at the same place.
  for (const diagnostic& d : findings_)
    if (d.line == at.line && d.column == at.column && d.rule == rule) return;
  findings_.push_back(diagnostic{user_file_name_, at.line, at.column, "error", std::string(rule),
                                 std::move(message)});
}

}  // namespace vyx::compiler::checks
