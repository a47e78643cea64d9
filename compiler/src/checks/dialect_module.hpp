// The dialect's rules, registered in one place under their kebab-case ids.
#pragma once

#include <memory>
#include <vector>

#include "checks/check.hpp"
#include "checks/dialect_options.hpp"

namespace vyx::compiler::checks {

// Every rule, sorted by id.
std::vector<std::unique_ptr<check>> make_dialect_checks(check_context& context,
                                                        const dialect_options& options = {});

}  // namespace vyx::compiler::checks
