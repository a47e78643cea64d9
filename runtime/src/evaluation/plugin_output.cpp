// Checks on the filter output a plugin hands back (see plugin_output.hpp).
#include "evaluation/plugin_output.hpp"

#include <cstring>
#include <string>

namespace vyx::runtime {

bool valid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = s[i];
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || (len == 2 && c < 0xc2) || (len == 4 && c > 0xf4) || n - i < len) return false;
    for (std::size_t k = 1; k < len; ++k)
      if ((s[i + k] & 0xc0) != 0x80) return false;
    if (len == 3 && ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] >= 0xa0))) return false;
    if (len == 4 && ((c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] >= 0x90))) return false;
    i += len;
  }
  return true;
}

vyx_status check_filter_output(const vyx_filter_output& out, const vyx_filter_output& given) {
  if (out.struct_size != given.struct_size || out.values != given.values ||
      out.value_capacity != given.value_capacity)
    return verdict_bad_struct;
  if (out.matched > 1) return verdict_bad_matched;
  if (out.value_count > out.value_capacity) return verdict_bad_count;
  for (std::uint32_t i = 0; i < out.value_count; ++i) {
    const char* name = out.values[i].name;
    const std::size_t length = strnlen(name, VYX_NAME_CAPACITY);
    if (length == VYX_NAME_CAPACITY || !valid_utf8({name, length})) return verdict_bad_name;
    for (std::uint32_t j = 0; j < i; ++j)
      if (std::strncmp(out.values[j].name, name, VYX_NAME_CAPACITY) == 0)
        return verdict_duplicate_name;
  }
  return VYX_OK;
}

status_fault describe_status(vyx_status status) {
  switch (status) {
    case VYX_ERR_CAPACITY:
      return {outcome::resource_limit,
              "the trader ran out of its per-call memory (the 16 MiB series arena) or of its "
              "output buffers"};
    case verdict_bad_struct:
      return {outcome::bad_output, "the filter changed the host's output struct"};
    case verdict_bad_matched:
      return {outcome::bad_output, "the filter's 'matched' is neither 0 nor 1"};
    case verdict_bad_count:
      return {outcome::bad_output, "the filter reported more values than the buffer holds"};
    case verdict_bad_name:
      return {outcome::bad_output,
              "a value's name has no terminating NUL within 32 bytes or is not UTF-8"};
    case verdict_duplicate_name:
      return {outcome::bad_output, "two values carry the same name"};
    case verdict_over_budget:
      return {outcome::over_budget,
              "used more than its CPU budget for one tick; its other symbols were skipped on "
              "that tick"};
    case verdict_over_window_budget:
      return {outcome::over_budget,
              "used more than its CPU budget on average over its recent ticks, each under the "
              "per-tick budget"};
    case VYX_ERR_INVALID_ARGUMENT:
    case VYX_ERR_UNSUPPORTED:
    case VYX_ERR_VERSION:
    case VYX_ERR_INTERNAL:
    case VYX_ERR_TRADER:
      return {outcome::bad_output, "filter returned status " + std::to_string(status)};
    default:
      return {outcome::bad_output, "filter returned an unknown status " + std::to_string(status)};
  }
}

}  // namespace vyx::runtime
