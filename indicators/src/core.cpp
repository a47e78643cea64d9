// Names of the shared status codes, for messages.
#include "vyx/indicators/core.hpp"

namespace vyx::ta {

const char* to_string(status s) noexcept {
  switch (s) {
    case status::ok:
      return "ok";
    case status::invalid_option:
      return "invalid option";
    case status::input_too_short:
      return "input too short";
    case status::invalid_input:
      return "invalid input";
  }
  return "unknown status";
}

}  // namespace vyx::ta
