// Names of the evaluation outcomes, for statuses, logs and metrics.
#include "vyx/runtime/evaluation/results.hpp"

namespace vyx::runtime {

const char* to_string(outcome o) {
  switch (o) {
    case outcome::ok:
      return "ok";
    case outcome::violation:
      return "violation";
    case outcome::signaled:
      return "signaled";
    case outcome::timeout:
      return "timeout";
    case outcome::killed:
      return "killed";
    case outcome::internal_error:
      return "internal_error";
    case outcome::resource_limit:
      return "resource_limit";
    case outcome::bad_output:
      return "bad_output";
    case outcome::over_budget:
      return "over_budget";
  }
  return "unknown";
}

}  // namespace vyx::runtime
