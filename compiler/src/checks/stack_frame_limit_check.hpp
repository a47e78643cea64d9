// dialect-stack-frame-limit: a function's locals stay under a fixed size; no variable-length
// arrays.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class stack_frame_limit_check : public check {
 public:
  using check::check;
  void on_translation_unit(clang::ASTContext& context) override;
};

}  // namespace vyx::compiler::checks
