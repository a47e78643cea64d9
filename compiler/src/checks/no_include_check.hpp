// dialect-no-include: the SDK is the only header a trader may include.
#pragma once

#include "checks/check.hpp"

namespace vyx::compiler::checks {

class no_include_check : public check {
 public:
  using check::check;
  void scan_source(const raw_source& source) override;
  std::vector<std::pair<unsigned, std::string>> owned_clang_diagnostics() const override;
};

}  // namespace vyx::compiler::checks
