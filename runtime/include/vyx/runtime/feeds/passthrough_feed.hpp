// The base of a feed that sees another feed's candles on their way (to record
// them, to check them): it starts with its source's universe and forwards all
// but next_it_, so the scheduler sees the source's batches and newcomers.
#pragma once

#include "vyx/runtime/feeds/feed.hpp"

namespace vyx::runtime {

class passthrough_feed : public feed {
 protected:
  explicit passthrough_feed(feed& source) : source_(source) {
    symbols_ = source.symbols();
    timeframes_ = source.timeframes();
  }

  void stop_it_() override { source_.stop(); }
  bool batch_complete_it_() const override { return source_.batch_complete(); }
  std::size_t symbol_capacity_it_() const override { return source_.symbol_capacity(); }
  std::uint64_t symbols_version_it_() const override { return source_.symbols_version(); }

  feed& source_;
};

}  // namespace vyx::runtime
