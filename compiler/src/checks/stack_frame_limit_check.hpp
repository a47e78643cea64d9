// dialect-stack-frame-limit: a function's locals stay under a fixed size; no variable-length
// arrays.
#pragma once

#include "checks/check.hpp"
#include "checks/dialect_options.hpp"

namespace vyx::compiler::checks {

class stack_frame_limit_check : public check {
 public:
  stack_frame_limit_check(std::string_view id, check_context& context,
                          const dialect_options& options)
      : check(id, context), limit_bytes_(options.stack_frame_limit_bytes) {}
  void on_translation_unit(clang::ASTContext& context) override;

 private:
  std::uint64_t limit_bytes_;
};

}  // namespace vyx::compiler::checks
