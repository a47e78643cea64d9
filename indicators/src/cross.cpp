// crossover / crossunder, batch forms.
#include "vyx/indicators/cross.hpp"

#include "batch_util.hpp"

namespace vyx::ta {
namespace {

template <double (*Test)(double, double, double, double)>
status run(const double* a, const double* b, std::size_t size, double* out) noexcept {
  if (a == nullptr || b == nullptr || out == nullptr) return status::invalid_input;
  if (status s = detail::warm_up(size, 1, out); s != status::ok) return s;
  for (std::size_t i = 1; i < size; ++i) out[i] = Test(a[i - 1], b[i - 1], a[i], b[i]);
  return status::ok;
}

}  // namespace

status crossover(const double* a, const double* b, std::size_t size, double* out) noexcept {
  return run<crossed_over>(a, b, size, out);
}
status crossunder(const double* a, const double* b, std::size_t size, double* out) noexcept {
  return run<crossed_under>(a, b, size, out);
}

}  // namespace vyx::ta
