// A row of the platform's `traders` table as the registry needs it, and the
// decoding of its `filter` document (an object, or a JSON string holding one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vyx::runtime {

struct trader_record {
  std::string id;  // uuid
  std::string name;
  bool enabled = true;
  std::string language;  // "cpp" or "go" (the platform's current traders)
  std::string code;         // filter.code
  std::string series_code;  // filter.seriesCode (Go only)
  std::vector<std::string> required_timeframes;  // filter.requiredTimeframes
  // filter.indicators[].id: every one must be a key of the seriesCode's
  // output, or the platform drops the output (platform_series_complete).
  std::vector<std::string> indicator_ids;
  std::string code_hash;  // md5 of the stored filter and language, from Postgres
};

// Fills code, series_code, required_timeframes and indicator_ids from the filter's JSON
// text. false with `error` when it is not an object (or a string holding
// one) with a string `code`.
bool decode_trader_filter(std::string_view filter_json, trader_record& into, std::string& error);

}  // namespace vyx::runtime
