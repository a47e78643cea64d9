// Go's empty interface (interface{}, any) for translated traders: nil, or a
// dynamic type with a value. Numbers, bools and strings are held inline;
// slices, maps, pointers and other values are copied into the per-call
// arena (a Go interface holds a copy too). Equality is Go's: equal when
// both are nil, or of the same dynamic type with equal values; comparing
// two values of the same uncomparable type (slices, maps, funcs) is a fault,
// as Go panics.
#pragma once

#include "vyx/sdk/go/containers.hpp"

namespace vyx::go {

class any;

// The dynamic types the chart's output contract looks into, the basic kinds
// one by one, and `other` for the rest (told apart by their equality
// function). Go's int and int64 are both C++ long here, so one type.
enum class any_type : unsigned char {
  nil,
  boolean,
  int8,
  int16,
  int32,
  int64,
  uint8,
  uint16,
  uint32,
  uint64,
  float32,
  float64,
  string,
  slice_of_any,
  slice_of_maps,
  map_of_any,
  float64_pointer,
  other,
};

namespace any_detail {
template <class T>
constexpr any_type basic_type() {
  if constexpr (std::is_same_v<T, bool>) return any_type::boolean;
  else if constexpr (std::is_floating_point_v<T>)
    return sizeof(T) == 4 ? any_type::float32 : any_type::float64;
  else if constexpr (std::is_signed_v<T>)
    return sizeof(T) == 1   ? any_type::int8
           : sizeof(T) == 2 ? any_type::int16
           : sizeof(T) == 4 ? any_type::int32
                            : any_type::int64;
  else
    return sizeof(T) == 1   ? any_type::uint8
           : sizeof(T) == 2 ? any_type::uint16
           : sizeof(T) == 4 ? any_type::uint32
                            : any_type::uint64;
}

// Slices, maps and funcs are not comparable in Go. Said explicitly: ADL
// would otherwise find any's own == through the implicit conversion.
template <class T>
inline constexpr bool uncomparable = false;
template <class T>
inline constexpr bool uncomparable<slice<T>> = true;
template <class K, class V>
inline constexpr bool uncomparable<map<K, V>> = true;
template <class F>
inline constexpr bool uncomparable<func<F>> = true;

// Go's == on two values of one dynamic type T held behind pointers.
template <class T>
bool equal(const void* a, const void* b) {
  if constexpr (!uncomparable<T> && requires(const T& x, const T& y) { x == y; })
    return *static_cast<const T*>(a) == *static_cast<const T*>(b);
  else
    fault();  // Go: "comparing uncomparable type"
}
}  // namespace any_detail

class any {
 public:
  any() = default;
  any(nil_t) {}
  template <class T>
    requires std::is_arithmetic_v<T>
  any(T v) : type_(any_detail::basic_type<T>()) {
    if constexpr (std::is_floating_point_v<T>)
      float_ = static_cast<double>(v);
    else if constexpr (std::is_signed_v<T>)
      int_ = static_cast<long>(v);
    else
      int_ = static_cast<long>(static_cast<unsigned long>(v));
  }
  any(const go::string& s) : type_(any_type::string), string_(s) {}
  any(const slice<any>& s) : any(any_type::slice_of_any, s) {}
  any(const slice<map<go::string, any>>& s) : any(any_type::slice_of_maps, s) {}
  any(const map<go::string, any>& m) : any(any_type::map_of_any, m) {}
  any(const ptr<double>& p) : any(any_type::float64_pointer, p) {}
  // Any other value (structs, other slices, maps and pointers, funcs).
  template <class T>
    requires(!std::is_arithmetic_v<T>)
  any(const T& v) : any(any_type::other, v) {}

  any_type type() const { return type_; }
  bool is_nil() const { return type_ == any_type::nil; }

  // The value as a number when the dynamic type is an integer or a float.
  bool number(double& out) const {
    switch (type_) {
      case any_type::float32:
      case any_type::float64:
        out = float_;
        return true;
      case any_type::uint8:
      case any_type::uint16:
      case any_type::uint32:
      case any_type::uint64:
        out = static_cast<double>(static_cast<unsigned long>(int_));
        return true;
      case any_type::int8:
      case any_type::int16:
      case any_type::int32:
      case any_type::int64:
        out = static_cast<double>(int_);
        return true;
      default:
        return false;
    }
  }
  // The held value when it has that dynamic type, else null.
  const slice<any>* as_slice() const { return held<slice<any>>(any_type::slice_of_any); }
  const slice<map<go::string, any>>* as_map_slice() const {
    return held<slice<map<go::string, any>>>(any_type::slice_of_maps);
  }
  const map<go::string, any>* as_map() const {
    return held<map<go::string, any>>(any_type::map_of_any);
  }
  const ptr<double>* as_float64_pointer() const {
    return held<ptr<double>>(any_type::float64_pointer);
  }
  // Go's v.(T) for a concrete T: true, with the value in `out`, when the
  // dynamic type is T (Go's int and int64 are one type here).
  template <class T>
  bool get_as(T& out) const {
    if constexpr (std::is_arithmetic_v<T>) {
      if (type_ != any_detail::basic_type<T>()) return false;
      if constexpr (std::is_floating_point_v<T>)
        out = static_cast<T>(float_);
      else
        out = static_cast<T>(int_);
    } else if constexpr (std::is_same_v<T, go::string>) {
      if (type_ != any_type::string) return false;
      out = string_;
    } else {
      if (type_ == any_type::nil || equal_ != &any_detail::equal<T>) return false;
      out = *static_cast<const T*>(held_);
    }
    return true;
  }

  friend bool operator==(const any& a, nil_t) { return a.is_nil(); }
  friend bool operator==(const any& a, const any& b) {
    if (a.type_ != b.type_ || a.equal_ != b.equal_) return false;
    switch (a.type_) {
      case any_type::nil:
        return true;
      case any_type::float32:
      case any_type::float64:
        return a.float_ == b.float_;
      case any_type::string:
        return a.string_ == b.string_;
      default:
        if (a.equal_ != nullptr) return a.equal_(a.held_, b.held_);
        return a.int_ == b.int_;  // bool and the integers
    }
  }

 private:
  template <class T>
  any(any_type type, const T& v)
      : type_(type), held_(new T(v)), equal_(&any_detail::equal<T>) {}
  template <class T>
  const T* held(any_type type) const {
    return type_ == type ? static_cast<const T*>(held_) : nullptr;
  }

  any_type type_ = any_type::nil;
  long int_ = 0;
  double float_ = 0;
  go::string string_;
  const void* held_ = nullptr;
  bool (*equal_)(const void*, const void*) = nullptr;  // also tells `other` types apart
};

// v.(T): the value, or a fault when v does not hold a T (Go panics).
template <class T>
T type_assert(const any& v) {
  T out{};
  if (!v.get_as(out)) fault();
  return out;
}
// v, ok := v.(T): T's zero value and false when v does not hold a T.
template <class T>
tuple<T, bool> type_assert_ok(const any& v) {
  T out{};
  const bool ok = v.get_as(out);
  return tuple<T, bool>(ok ? out : T{}, ok);
}

}  // namespace vyx::go
