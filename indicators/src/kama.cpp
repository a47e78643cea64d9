// KAMA: the ring keeps period + 1 closes so that the oldest change can be
// removed from the running path length when a new one is added. The batch
// form does the same operations in the same order on the input array.
#include "vyx/indicators/kama.hpp"

#include <cmath>

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

constexpr double slowest = 2.0 / (30.0 + 1.0);
constexpr double fast_minus_slow = 2.0 / (2.0 + 1.0) - slowest;

// The smoothing constant from the net move and the path length.
inline double smoothing(double net, double path) noexcept {
  // ER = 1 when the path is no longer than the net move (a straight run) or
  // there was no movement at all.
  const double er = (path <= net || path == 0) ? 1.0 : std::fabs(net / path);
  const double sc = er * fast_minus_slow + slowest;
  return sc * sc;
}

}  // namespace

int kama_lookback(int period) noexcept {
  return period;
}

kama_stream::kama_stream(int period) : period_(period), ring_(new double[period + 1]()) {}

void kama_stream::reset() noexcept {
  pos_ = 0, count_ = 0, path_ = 0, kama_ = 0;
}

double kama_stream::push(double x) noexcept {
  const double value = next_value(x);
  if (count_ >= 1) path_ = path_after(x);
  if (count_ == period_ - 1) kama_ = x;
  if (count_ >= period_) kama_ = value;
  ring_[pos_] = x;
  pos_ = step(pos_);
  ++count_;
  return value;
}

double kama_stream::peek(double x) const noexcept {
  return next_value(x);
}

// Path length after adding close x: drop the change into close[t−period]
// (once there is one before it), then add the change into x.
double kama_stream::path_after(double x) const noexcept {
  double path = path_;
  if (count_ > period_) path -= std::fabs(ring_[pos_] - ring_[step(pos_)]);
  return path + std::fabs(x - ring_[pos_ == 0 ? period_ : pos_ - 1]);
}

double kama_stream::next_value(double x) const noexcept {
  if (count_ < period_) return no_value;
  const double oldest = ring_[step(pos_)];  // close[t − period]
  return (x - kama_) * smoothing(x - oldest, path_after(x)) + kama_;
}

status kama(const columns& in, int period, double* out) noexcept {
  if (in.close == nullptr || out == nullptr) return status::invalid_input;
  if (kama_stream::validate(period) != status::ok)
    return detail::fill_no_value(out, 0, in.size), status::invalid_option;
  if (status s = detail::warm_up(in.size, kama_lookback(period), out); s != status::ok) return s;
  // kama_stream::push's operations, in its order, reading the input directly.
  const double* x = in.close;
  const std::size_t p = static_cast<std::size_t>(period);
  double path = 0;
  for (std::size_t t = 1; t < p; ++t) path = path + std::fabs(x[t] - x[t - 1]);
  double k = x[p - 1];
  for (std::size_t t = p; t < in.size; ++t) {
    if (t > p) path = path - std::fabs(x[t - p - 1] - x[t - p]);
    path = path + std::fabs(x[t] - x[t - 1]);
    out[t] = k = (x[t] - k) * smoothing(x[t] - x[t - p], path) + k;
  }
  return status::ok;
}

}  // namespace vyx::ta
