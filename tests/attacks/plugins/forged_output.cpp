// A plugin that forges the fields the host reads back (VYX_FORGE_<field>):
// matched = 7, a value count of 2^32 - 1, a name with no NUL or not UTF-8,
// the same name twice. On SYM03 only, so the fault must be pinned there.
#include <cstring>

#include "../../runtime_sandbox/plugins/test_descriptor.hpp"

namespace {

vyx_status filter(const vyx_market* m, vyx_filter_output* out) {
  out->matched = 1;
  out->value_count = 1;
  std::memset(out->values[0].name, 0, sizeof out->values[0].name);
  std::strcpy(out->values[0].name, "fine");
  out->values[0].value = 1;
  if (std::strcmp(m->symbol, "SYM03") != 0) return VYX_OK;
#if defined(VYX_FORGE_matched)
  out->matched = 7;
#elif defined(VYX_FORGE_count)
  out->value_count = 0xffffffffu;
#elif defined(VYX_FORGE_unterminated_name)
  std::memset(out->values[0].name, 'a', sizeof out->values[0].name);
#elif defined(VYX_FORGE_invalid_utf8)
  std::strcpy(out->values[0].name, "caf\xc3");  // a cut two-byte character
#elif defined(VYX_FORGE_duplicate_name)
  out->value_count = 2;
  out->values[1] = out->values[0];
#elif defined(VYX_FORGE_values_pointer)
  static vyx_signal_value elsewhere[1] = {{"x", 1}};
  out->values = elsewhere;
#else
#error "define VYX_FORGE_<field>"
#endif
  return VYX_OK;
}

constexpr vyx_plugin descriptor =
    vyx::test_plugin::descriptor("forged_output", &filter, {1u << VYX_TF_1M, 0, 4});

}  // namespace

VYX_TEST_PLUGIN_ENTRY(descriptor)
