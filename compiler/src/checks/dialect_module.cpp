// The rule list: one line per rule, sorted by id. compiler/README.md's rules
// table mirrors it.
#include "checks/dialect_module.hpp"

#include <type_traits>

#include "checks/call_allowlist_check.hpp"
#include "checks/entry_signature_check.hpp"
#include "checks/no_asm_check.hpp"
#include "checks/no_attributes_check.hpp"
#include "checks/no_exceptions_check.hpp"
#include "checks/no_extern_check.hpp"
#include "checks/no_global_state_check.hpp"
#include "checks/no_goto_check.hpp"
#include "checks/no_include_check.hpp"
#include "checks/no_pointer_arithmetic_check.hpp"
#include "checks/no_preprocessor_escape_check.hpp"
#include "checks/no_recursion_check.hpp"
#include "checks/no_reinterpret_check.hpp"
#include "checks/no_rtti_check.hpp"
#include "checks/no_thread_local_check.hpp"
#include "checks/no_union_punning_check.hpp"
#include "checks/stack_frame_limit_check.hpp"
#include "checks/unknown_timeframe_check.hpp"

namespace vyx::compiler::checks {

// A rule with limits or inputs takes the options as its third argument.
template <class Check>
static void add(std::vector<std::unique_ptr<check>>& out, const char* id, check_context& context,
                const dialect_options& options) {
  if constexpr (std::is_constructible_v<Check, const char*, check_context&, const dialect_options&>)
    out.push_back(std::make_unique<Check>(id, context, options));
  else
    out.push_back(std::make_unique<Check>(id, context));
}

std::vector<std::unique_ptr<check>> make_dialect_checks(check_context& context,
                                                        const dialect_options& options) {
  std::vector<std::unique_ptr<check>> out;
  add<call_allowlist_check>(out, "dialect-call-allowlist", context, options);
  add<entry_signature_check>(out, "dialect-entry-signature", context, options);
  add<no_asm_check>(out, "dialect-no-asm", context, options);
  add<no_attributes_check>(out, "dialect-no-attributes", context, options);
  add<no_exceptions_check>(out, "dialect-no-exceptions", context, options);
  add<no_extern_check>(out, "dialect-no-extern", context, options);
  add<no_global_state_check>(out, "dialect-no-global-state", context, options);
  add<no_goto_check>(out, "dialect-no-goto", context, options);
  add<no_include_check>(out, "dialect-no-include", context, options);
  add<no_pointer_arithmetic_check>(out, "dialect-no-pointer-arithmetic", context, options);
  add<no_preprocessor_escape_check>(out, "dialect-no-preprocessor-escape", context, options);
  add<no_recursion_check>(out, "dialect-no-recursion", context, options);
  add<no_reinterpret_check>(out, "dialect-no-reinterpret", context, options);
  add<no_rtti_check>(out, "dialect-no-rtti", context, options);
  add<no_thread_local_check>(out, "dialect-no-thread-local", context, options);
  add<no_union_punning_check>(out, "dialect-no-union-punning", context, options);
  add<stack_frame_limit_check>(out, "dialect-stack-frame-limit", context, options);
  add<unknown_timeframe_check>(out, "dialect-unknown-timeframe", context, options);
  return out;
}

}  // namespace vyx::compiler::checks
