// A trader written with the SDK (host-built, as vyxc would build it minus the
// checker) that abuses the outputs: names that are not UTF-8, a name of
// multibyte characters longer than a name slot, the same name emitted twice,
// and (on SYM05) a series arena run dry. Every output line must still be
// valid UTF-8 JSON with unique keys; the dry arena is the trader's resource
// limit, not our internal error.
#include "vyx/trader.hpp"

bool filter(const vyx::Market& m) {
  const auto k = m.klines("1m");
  vyx::emit("\xff\xfe raw bytes", 1);
  // 16 two-byte characters (32 bytes) cut to whole characters (30 bytes).
  vyx::emit("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
            "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
            2);
  vyx::emit("twice", 3);
  vyx::emit("twice", 4);
  vyx::emit("</script><b>", 5);
  if (m.symbol() == "SYM05") {
    vyx::Series s = k.close();
    for (int i = 0; i < 40000; ++i) s = s + 1.0;  // 64 doubles a time from a 2 Mi arena
    vyx::emit("last", s.last());
  }
  return true;
}

#include "vyx/sdk/entry.hpp"

static const vyx_plugin descriptor = {sizeof(vyx_plugin), VYX_ABI_VERSION, "sdk_outputs",
                                      VYX_SDK_VERSION,    1u << VYX_TF_1M, 1,
                                      16,                 0,               vyx_sdk_filter,
                                      nullptr};

extern "C" __attribute__((visibility("default"))) const vyx_plugin* vyx_plugin_entry(void) {
  return &descriptor;
}
