// Go's scalar semantics for translated traders (namespace vyx::go): nil,
// faults, and integer arithmetic that wraps like Go's instead of being C++ UB;
// integer division by zero, a negative shift count and a nil dereference are
// faults. A fault traps: the runtime contains it and pins it on the trader,
// as the platform's Yaegi recovers a panic as an error of that evaluation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <type_traits>

namespace vyx::go {

[[noreturn]] inline void fault() {
  __builtin_trap();
}

struct nil_t {
  explicit constexpr nil_t(int) {}
};
inline constexpr nil_t nil{0};

template <class T>
using unsigned_of = std::make_unsigned_t<T>;

template <class T>
constexpr T add(T a, T b) {
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
    return static_cast<T>(static_cast<unsigned_of<T>>(a) + static_cast<unsigned_of<T>>(b));
  else
    return a + b;
}
template <class T>
constexpr T sub(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<unsigned_of<T>>(a) - static_cast<unsigned_of<T>>(b));
  else
    return a - b;
}
template <class T>
constexpr T mul(T a, T b) {
  if constexpr (std::is_integral_v<T>)
    return static_cast<T>(static_cast<unsigned_of<T>>(a) * static_cast<unsigned_of<T>>(b));
  else
    return a * b;
}
template <class T>
constexpr T neg(T a) {
  return sub(T(0), a);
}
template <class T>
constexpr T bit_not(T a) {
  return static_cast<T>(~a);
}
// Go: x / 0 panics; MinInt / -1 wraps to MinInt.
template <class T>
constexpr T div(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if (b == 0) fault();
    if constexpr (std::is_signed_v<T>)
      if (b == -1) return neg(a);
    return static_cast<T>(a / b);
  } else {
    return a / b;
  }
}
template <class T>
constexpr T rem(T a, T b) {
  if (b == 0) fault();
  if constexpr (std::is_signed_v<T>)
    if (b == -1) return 0;
  return static_cast<T>(a % b);
}
// Shifts: a negative count panics; a count >= the width gives 0 (or -1 for
// a negative value shifted right).
template <class T, class N>
constexpr T shl(T a, N n) {
  if constexpr (std::is_signed_v<N>)
    if (n < 0) fault();
  if (static_cast<unsigned long>(n) >= sizeof(T) * 8) return 0;
  return static_cast<T>(static_cast<unsigned_of<T>>(a) << n);
}
template <class T, class N>
constexpr T shr(T a, N n) {
  if constexpr (std::is_signed_v<N>)
    if (n < 0) fault();
  if (static_cast<unsigned long>(n) >= sizeof(T) * 8) {
    if constexpr (std::is_signed_v<T>) return a < 0 ? T(-1) : T(0);
    return 0;
  }
  return static_cast<T>(a >> n);
}

template <class T, class U>
constexpr void add_to(T& a, const U& b) {
  a = add(a, static_cast<T>(b));
}
template <class T, class U>
constexpr void sub_from(T& a, const U& b) {
  a = sub(a, static_cast<T>(b));
}
template <class T, class U>
constexpr void mul_by(T& a, const U& b) {
  a = mul(a, static_cast<T>(b));
}
template <class T, class U>
constexpr void div_by(T& a, const U& b) {
  a = div(a, static_cast<T>(b));
}
template <class T, class U>
constexpr void rem_by(T& a, const U& b) {
  a = rem(a, static_cast<T>(b));
}
template <class T, class U>
constexpr void shl_by(T& a, const U& n) {
  a = shl(a, n);
}
template <class T, class U>
constexpr void shr_by(T& a, const U& n) {
  a = shr(a, n);
}
template <class T, class U>
constexpr void and_by(T& a, const U& b) {
  a = static_cast<T>(a & b);
}
template <class T, class U>
constexpr void or_by(T& a, const U& b) {
  a = static_cast<T>(a | b);
}
template <class T, class U>
constexpr void xor_by(T& a, const U& b) {
  a = static_cast<T>(a ^ b);
}
template <class T, class U>
constexpr void and_not_by(T& a, const U& b) {
  a = static_cast<T>(a & ~b);
}

// Numeric conversions as Go on amd64: integers wrap; a float out of an
// integer's range (or NaN) gives the "integer indefinite" value
// 0x8000000000000000 that CVTTSD2SQ gives, then truncates; never UB.
template <class To, class From>
constexpr To convert(From x) {
  if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    long v;
    if (x > -9223372036854775808.0 && x < 9223372036854775808.0)
      v = static_cast<long>(x);
    else if (std::is_unsigned_v<To> && x >= 9223372036854775808.0 && x < 18446744073709551616.0)
      return static_cast<To>(static_cast<unsigned long>(x));
    else
      v = static_cast<long>(0x8000000000000000ul);
    return static_cast<To>(v);
  } else {
    return static_cast<To>(x);
  }
}

// Multiple results.
template <class... T>
struct tuple;
template <>
struct tuple<> {};
template <class H, class... R>
struct tuple<H, R...> {
  H head{};
  tuple<R...> rest{};
  tuple() = default;
  tuple(H h, R... r) : head(h), rest(r...) {}
};
template <int I, class T>
auto get(const T& t) {
  if constexpr (I == 0)
    return t.head;
  else
    return get<I - 1>(t.rest);
}

// A nil-able pointer: the indicators' *float64 and *Result answers, &x, new(T).
template <class T>
class ptr {
 public:
  ptr() = default;
  ptr(nil_t) {}
  explicit ptr(T* p) : p_(p) {}
  T& operator*() const {
    if (p_ == nullptr) fault();
    return *p_;
  }
  T* operator->() const {
    if (p_ == nullptr) fault();
    return p_;
  }
  friend bool operator==(const ptr& a, const ptr& b) { return a.p_ == b.p_; }
  friend bool operator==(const ptr& a, nil_t) { return a.p_ == nullptr; }

 private:
  T* p_ = nullptr;
};
template <class T>
ptr<T> new_value(const T& v) {
  return ptr<T>(new T(v));
}
template <class T>
ptr<T> address_of(T& v) {
  return ptr<T>(&v);
}

// A func value: any callable, copied into the call's arena.
template <class Sig>
class func;
template <class R, class... A>
class func<R(A...)> {
 public:
  func() = default;
  func(nil_t) {}
  template <class F>
  func(F f)
      : object_(new F(static_cast<F&&>(f))), call_([](void* o, A... a) -> R {
          return (*static_cast<F*>(o))(a...);
        }) {}
  R operator()(A... a) const {
    if (call_ == nullptr) fault();
    return call_(object_, a...);
  }
  friend bool operator==(const func& f, nil_t) { return f.call_ == nullptr; }

 private:
  void* object_ = nullptr;
  R (*call_)(void*, A...) = nullptr;
};

template <class... A>
constexpr int discard(const A&...) {
  return 0;
}

}  // namespace vyx::go
