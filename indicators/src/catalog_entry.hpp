// Builds a type-erased catalog entry from an indicator's concrete batch
// function, lookback function and NAME_stream class, so that registering an
// indicator in catalog.cpp is one line plus its option table.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <memory>
#include <span>
#include <tuple>
#include <utility>

#include "vyx/indicators/catalog.hpp"

namespace vyx::ta::detail {

inline constexpr std::array<option_info, 0> no_options{};

template <class... A>
std::tuple<A...> option_types_of(int (*)(A...));

// Whole-number options are passed as int, the others as double.
inline bool option_in_range(const option_info& o, double v) noexcept {
  if (!(v >= o.min && v <= o.max)) return false;  // also rejects NaN
  if (o.integer && v != std::floor(v)) return false;
  return true;
}

template <class Stream, auto Batch, auto Lookback, const auto& Options>
struct erased {
  using options_tuple = decltype(option_types_of(Lookback));
  static constexpr std::size_t option_count = std::tuple_size_v<options_tuple>;
  static constexpr std::size_t output_count = Stream::output_count;
  static_assert(std::size(Options) == option_count, "option table and lookback arity differ");

  template <std::size_t... I>
  static options_tuple convert(const double* o, std::index_sequence<I...>) noexcept {
    return options_tuple{static_cast<std::tuple_element_t<I, options_tuple>>(o[I])...};
  }
  static options_tuple convert(const double* o) noexcept {
    return convert(o, std::make_index_sequence<option_count>{});
  }

  // The table's ranges: what makes the conversion to int safe.
  static bool in_range(const double* o) noexcept {
    for (std::size_t i = 0; i < option_count; ++i)
      if (!option_in_range(std::data(Options)[i], o[i])) return false;
    return true;
  }

  static status validate(const double* o) noexcept {
    if (!in_range(o)) return status::invalid_option;
    return std::apply([](auto... a) { return Stream::validate(a...); }, convert(o));
  }

  static int lookback(const double* o) noexcept {
    if (validate(o) != status::ok) return -1;
    return std::apply([](auto... a) { return Lookback(a...); }, convert(o));
  }

  template <std::size_t... K>
  static status call_batch(const columns& in, const options_tuple& t, double* const* out,
                           std::index_sequence<K...>) noexcept {
    return std::apply([&](auto... a) { return Batch(in, a..., out[K]...); }, t);
  }

  // Every batch function applies Stream::validate itself (NaN outputs,
  // invalid_option), so only the table's ranges are checked here.
  static status batch(const columns& in, const double* o, double* const* out) noexcept {
    if (!in_range(o)) {
      for (std::size_t k = 0; k < output_count; ++k)
        if (out[k] != nullptr)
          for (std::size_t i = 0; i < in.size; ++i) out[k][i] = no_value;
      return status::invalid_option;
    }
    return call_batch(in, convert(o), out, std::make_index_sequence<output_count>{});
  }

  class adapter final : public stream {
   public:
    explicit adapter(const options_tuple& t) : s_(std::make_from_tuple<Stream>(t)) {}
    int lookback() const override { return s_.lookback(); }
    void update(const bar& b, double* out) override { s_.update(b, out); }
    void preview(const bar& b, double* out) const override { s_.preview(b, out); }
    void reset() override { s_.reset(); }

   private:
    Stream s_;
  };

  static std::unique_ptr<stream> make_stream(const double* o) {
    if (validate(o) != status::ok) return nullptr;
    return std::make_unique<adapter>(convert(o));
  }
};

// One catalog entry. Inputs, Options and Outputs are namespace-scope
// constexpr arrays (they must outlive the catalog).
template <class Stream, auto Batch, auto Lookback, const auto& Inputs, const auto& Options,
          const auto& Outputs>
constexpr indicator_info entry(const char* id, const char* talib_function, const char* description,
                               std::uint32_t abi_id = 0) {
  using e = erased<Stream, Batch, Lookback, Options>;
  static_assert(std::size(Outputs) == Stream::output_count, "output names and output_count differ");
  return indicator_info{id,
                        talib_function,
                        description,
                        std::span<const input>(Inputs),
                        std::span<const option_info>(Options),
                        std::span<const char* const>(Outputs),
                        &e::validate,
                        &e::lookback,
                        &e::batch,
                        &e::make_stream,
                        abi_id};
}

}  // namespace vyx::ta::detail
