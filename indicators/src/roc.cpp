// ROC, rounded as TA-Lib does: ((close / old) - 1) * 100.
#include "vyx/indicators/roc.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

// The division is unconditional (by 1 where TA-Lib has no value) so that the
// batch loop vectorizes: two divisions per instruction, the bound of this loop.
inline double change(double close, double old) noexcept {
  const bool defined = old != 0.0;
  const double percent = ((close / (defined ? old : 1.0)) - 1.0) * 100.0;
  return defined ? percent : 0.0;
}

}  // namespace

int roc_lookback(int period) noexcept { return period; }

status roc_stream::validate(int period) noexcept {
  return period >= 1 && period <= 100000 ? status::ok : status::invalid_option;
}

status roc(const columns& in, int period, double* out) noexcept {
  if (in.size != 0 && (!in.close || !out)) return status::invalid_input;
  if (roc_stream::validate(period) != status::ok) {
    detail::fill_no_value(out, 0, in.size);
    return status::invalid_option;
  }
  if (status s = detail::warm_up(in.size, roc_lookback(period), out); s != status::ok) return s;
  const double* close = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  for (std::size_t t = p; t < in.size; ++t) out[t] = change(close[t], close[t - p]);
  return status::ok;
}

roc_stream::roc_stream(int period)
    : period_(period), ring_(std::make_unique<double[]>(static_cast<std::size_t>(period))) {}

roc_stream::roc_stream(const roc_stream& other)
    : period_(other.period_), pos_(other.pos_), bars_(other.bars_),
      ring_(std::make_unique<double[]>(static_cast<std::size_t>(other.period_))) {
  for (int i = 0; i < period_; ++i) ring_[i] = other.ring_[i];
}

void roc_stream::reset() noexcept {
  pos_ = 0;
  bars_ = 0;
}

void roc_stream::update(const bar& b, double* out) noexcept {
  *out = bars_ >= period_ ? change(b.close, ring_[pos_]) : no_value;
  ring_[pos_] = b.close;
  if (++pos_ == period_) pos_ = 0;
  ++bars_;
}

void roc_stream::preview(const bar& b, double* out) const noexcept {
  *out = bars_ >= period_ ? change(b.close, ring_[pos_]) : no_value;
}

}  // namespace vyx::ta
