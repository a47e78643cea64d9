// Whether text is a UUID in the hyphenated form Postgres prints
// (8-4-4-4-12 hex digits, either case): the platform's trader ids are, a
// local trader's file name is not.
#pragma once

#include <string_view>

namespace vyx::runtime {

constexpr bool is_uuid_text(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

static_assert(is_uuid_text("3f2a9c1e-0b7d-4e8a-9c6f-1a2b3c4d5e6F"));
static_assert(!is_uuid_text("3f2a9c1e0b7d4e8a9c6f1a2b3c4d5e6f"));
static_assert(!is_uuid_text("rsi_dip"));

}  // namespace vyx::runtime
