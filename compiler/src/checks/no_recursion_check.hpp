// dialect-no-recursion: no function calls itself, directly or through others (bounded stack,
// bounded time).
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_recursion_check : public check {
 public:
  using check::check;
  void on_translation_unit(clang::ASTContext& context) override;
};

}  // namespace vyx::compiler::checks
