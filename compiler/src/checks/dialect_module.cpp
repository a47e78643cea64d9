// The rule list: one line per rule, sorted by id. compiler/README.md's rules
// table mirrors it.
#include "checks/dialect_module.hpp"

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

template <class Check>
static void add(std::vector<std::unique_ptr<check>>& out, const char* id, check_context& context) {
  out.push_back(std::make_unique<Check>(id, context));
}

std::vector<std::unique_ptr<check>> make_dialect_checks(check_context& context) {
  std::vector<std::unique_ptr<check>> out;
  add<call_allowlist_check>(out, "dialect-call-allowlist", context);
  add<entry_signature_check>(out, "dialect-entry-signature", context);
  add<no_asm_check>(out, "dialect-no-asm", context);
  add<no_attributes_check>(out, "dialect-no-attributes", context);
  add<no_exceptions_check>(out, "dialect-no-exceptions", context);
  add<no_extern_check>(out, "dialect-no-extern", context);
  add<no_global_state_check>(out, "dialect-no-global-state", context);
  add<no_goto_check>(out, "dialect-no-goto", context);
  add<no_include_check>(out, "dialect-no-include", context);
  add<no_pointer_arithmetic_check>(out, "dialect-no-pointer-arithmetic", context);
  add<no_preprocessor_escape_check>(out, "dialect-no-preprocessor-escape", context);
  add<no_recursion_check>(out, "dialect-no-recursion", context);
  add<no_reinterpret_check>(out, "dialect-no-reinterpret", context);
  add<no_rtti_check>(out, "dialect-no-rtti", context);
  add<no_thread_local_check>(out, "dialect-no-thread-local", context);
  add<no_union_punning_check>(out, "dialect-no-union-punning", context);
  add<stack_frame_limit_check>(out, "dialect-stack-frame-limit", context);
  add<unknown_timeframe_check>(out, "dialect-unknown-timeframe", context);
  return out;
}

}  // namespace vyx::compiler::checks
