// dialect-entry-signature: the trader defines bool filter(const vyx::Market&) and optionally void
// series(const vyx::Market&, vyx::Plot&).
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class entry_signature_check : public check {
 public:
  using check::check;
  void on_translation_unit(clang::ASTContext& context) override;
};

}  // namespace vyx::compiler::checks
