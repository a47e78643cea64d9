// dialect-no-preprocessor-escape: no preprocessor feature that reaches the
// host or changes how code is generated.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_preprocessor_escape_check : public check {
 public:
  using check::check;
  void scan_source(const raw_source& source) override;
};

}  // namespace vyx::compiler::checks
