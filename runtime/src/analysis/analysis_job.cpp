// Eligibility and the signal's identity for the analysis queue.
#include "vyx/runtime/analysis/analysis_job.hpp"

#include <cctype>

#include "vyx/runtime/market/timeframe.hpp"

namespace vyx::runtime {

bool tier_allows_analysis(std::string_view tier) {
  constexpr std::string_view allowed = "elite";
  if (tier.size() != allowed.size()) return false;
  for (std::size_t i = 0; i < tier.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(tier[i])) != allowed[i]) return false;
  return true;
}

std::string signal_key_of(const trader_signal& s) {
  return s.trader + '|' + s.symbol + '|' + timeframe_name(s.timeframe) + '|' +
         std::to_string(s.close_time);
}

}  // namespace vyx::runtime
