// Sliding-window maximum or minimum for the batch forms, van Herk/Gil-Werman
// style: branch-free prefix and suffix extremes over blocks of the window
// length, O(1) per bar in the worst case. Streams use the same blocks
// (extreme_window, vyx/indicators/window.hpp); both give the newest bar on
// ties, so batch and streaming agree on values and indices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace vyx::ta::detail {

struct indexed_value {
  double value;
  std::int64_t index;
};

// True when `older` stays the extreme against a newer `newer` (ties go to
// the newer bar).
template <bool keep_max>
inline bool older_wins(double older, double newer) noexcept {
  if constexpr (keep_max)
    return older > newer;
  else
    return older < newer;
}

// `taken ? a : b` for indices as a mask, not a select: GCC turned the pair of
// selects (value, index) on one data-dependent condition into a branch,
// which mispredicts on market data (AROON batch: 9.2 ns per bar with it, 5.0
// without).
inline std::int64_t pick_index(bool taken, std::int64_t a, std::int64_t b) noexcept {
  return b + ((a - b) & -static_cast<std::int64_t>(taken));
}

// `taken ? a : b` for values, written as the compare-and-select that maps to
// maxsd / minsd when `taken` is that comparison.
inline double pick_value(bool taken, double a, double b) noexcept {
  return taken ? a : b;
}

// Calls emit(t, extreme) for every t in [length-1, n), where extreme is the
// max (keep_max) or min of x[t-length+1 .. t] and the newest index holding
// it. `suffix` is scratch for `length` entries. Branch-free: which side wins
// is data-dependent and would mispredict as branches.
template <bool keep_max, class Emit>
void for_each_window_extreme(const double* x, std::size_t n, std::size_t length,
                             indexed_value* suffix, Emit&& emit) noexcept {
  for (std::size_t start = 0; start < n; start += length) {
    if (start >= length) {
      // suffix[j]: extreme of the previous block from offset j to its end.
      const std::size_t base = start - length;
      double value = x[start - 1];
      std::int64_t index = static_cast<std::int64_t>(start - 1);
      suffix[length - 1] = indexed_value{value, index};
      for (std::size_t j = length - 1; j-- > 0;) {
        const double v = x[base + j];
        const bool older = older_wins<keep_max>(v, value);
        index = pick_index(older, static_cast<std::int64_t>(base + j), index);
        value = pick_value(older, v, value);
        suffix[j] = indexed_value{value, index};
      }
    }
    const std::size_t end = start + length < n ? start + length : n;
    double value = x[start];
    std::int64_t index = static_cast<std::int64_t>(start);
    for (std::size_t t = start; t < end; ++t) {
      const bool kept = older_wins<keep_max>(value, x[t]);
      index = pick_index(kept, index, static_cast<std::int64_t>(t));
      value = pick_value(kept, value, x[t]);
      if (t + 1 < length) continue;
      const std::size_t first = t + 1 - length;  // oldest bar of the window
      if (first == start) {
        emit(t, indexed_value{value, index});
      } else {
        const indexed_value& old = suffix[first + length - start];
        const bool older = older_wins<keep_max>(old.value, value);
        emit(t, indexed_value{pick_value(older, old.value, value),
                              pick_index(older, old.index, index)});
      }
    }
  }
}

// The same for the extreme's value only (ties need no rule).
template <bool keep_max, class Emit>
void for_each_window_extreme_value(const double* x, std::size_t n, std::size_t length,
                                   double* suffix, Emit&& emit) noexcept {
  auto pick = [](double a, double b) { return older_wins<keep_max>(a, b) ? a : b; };
  for (std::size_t start = 0; start < n; start += length) {
    if (start >= length) {
      const std::size_t base = start - length;
      suffix[length - 1] = x[start - 1];
      for (std::size_t j = length - 1; j-- > 0;) suffix[j] = pick(x[base + j], suffix[j + 1]);
    }
    const std::size_t end = start + length < n ? start + length : n;
    double value = x[start];
    for (std::size_t t = start; t < end; ++t) {
      value = pick(value, x[t]);
      if (t + 1 < length) continue;
      const std::size_t first = t + 1 - length;
      emit(t, first == start ? value : pick(suffix[first + length - start], value));
    }
  }
}

}  // namespace vyx::ta::detail

namespace vyx::ta::detail {

// Scratch for for_each_window_extreme (entries) and
// for_each_window_extreme_value (values): on the stack for common lengths, on
// the heap (allocated on first use, once per call) beyond.
class extreme_scratch {
 public:
  explicit extreme_scratch(std::size_t length) : length_(length) {}

  indexed_value* get() {
    if (length_ <= local_size) return local_entries_;
    if (!heap_entries_) heap_entries_ = std::make_unique<indexed_value[]>(length_);
    return heap_entries_.get();
  }

  double* values() {
    if (length_ <= local_size) return local_values_;
    if (!heap_values_) heap_values_ = std::make_unique<double[]>(length_);
    return heap_values_.get();
  }

 private:
  static constexpr std::size_t local_size = 128;
  std::size_t length_;
  indexed_value local_entries_[local_size];
  double local_values_[local_size];
  std::unique_ptr<indexed_value[]> heap_entries_;
  std::unique_ptr<double[]> heap_values_;
};

}  // namespace vyx::ta::detail
