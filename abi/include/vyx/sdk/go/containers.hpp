// Go's strings, slices, arrays and maps for translated traders. Every index
// and slice bound is checked: out of range is a fault of the evaluation
// (Go's panic), never a wild read. Storage comes from the per-call arena.
#pragma once

#include "vyx/sdk/go/core.hpp"

namespace vyx::go {

// Immutable bytes, like Go's string (not NUL-terminated).
class string {
 public:
  string() = default;
  template <std::size_t N>
  string(const char (&s)[N]) : p_(s), n_(static_cast<long>(N) - 1) {}
  string(const char* p, long n) : p_(p), n_(n) {}
  long len() const { return n_; }
  const char* bytes() const { return p_; }
  unsigned char operator[](long i) const {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(n_)) fault();
    return static_cast<unsigned char>(p_[i]);
  }
  string reslice(long lo, long hi) const {
    if (lo < 0 || hi < lo || hi > n_) fault();
    return string(p_ + lo, hi - lo);
  }
  string reslice_from(long lo) const { return reslice(lo, n_); }
  // Byte loops, not memcmp: clang turns memcmp() == 0 into bcmp, which a
  // plugin may not import (the ELF audit's allowlist).
  friend bool operator==(const string& a, const string& b) {
    if (a.n_ != b.n_) return false;
    for (long i = 0; i < a.n_; ++i)
      if (a.p_[i] != b.p_[i]) return false;
    return true;
  }
  friend int compare(const string& a, const string& b) {
    const long n = a.n_ < b.n_ ? a.n_ : b.n_;
    for (long i = 0; i < n; ++i) {
      const unsigned char x = static_cast<unsigned char>(a.p_[i]);
      const unsigned char y = static_cast<unsigned char>(b.p_[i]);
      if (x != y) return x < y ? -1 : 1;
    }
    return a.n_ < b.n_ ? -1 : (a.n_ > b.n_ ? 1 : 0);
  }
  friend bool operator<(const string& a, const string& b) { return compare(a, b) < 0; }
  friend bool operator<=(const string& a, const string& b) { return compare(a, b) <= 0; }
  friend bool operator>(const string& a, const string& b) { return compare(a, b) > 0; }
  friend bool operator>=(const string& a, const string& b) { return compare(a, b) >= 0; }
  friend string operator+(const string& a, const string& b) {
    if (a.n_ == 0) return b;
    if (b.n_ == 0) return a;
    char* p = new char[a.n_ + b.n_];
    __builtin_memcpy(p, a.p_, a.n_);
    __builtin_memcpy(p + a.n_, b.p_, b.n_);
    return string(p, a.n_ + b.n_);
  }

 private:
  const char* p_ = nullptr;
  long n_ = 0;
};
inline void add_to(string& a, const string& b) {
  a = a + b;
}
inline long len(const string& s) {
  return s.len();
}

template <class T>
class slice {
 public:
  slice() = default;
  slice(nil_t) {}
  slice(T* p, long n, long c) : p_(p), n_(n), c_(c) {}
  long len() const { return n_; }
  long cap() const { return c_; }
  T* data() const { return p_; }
  T& operator[](long i) const {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(n_)) fault();
    return p_[i];
  }
  // An element to write: the generated code and the algorithms below write
  // through ref(), so a slice type whose reads are views (the market's
  // candles, types.hpp) can copy before the first write.
  T& ref(long i) const { return (*this)[i]; }
  slice reslice3(long lo, long hi, long max) const {
    if (lo < 0 || hi < lo || max < hi || max > c_) fault();
    return slice(p_ + lo, hi - lo, max - lo);
  }
  slice reslice(long lo, long hi) const {
    if (lo < 0 || hi < lo || hi > c_) fault();
    return slice(p_ + lo, hi - lo, c_ - lo);
  }
  slice reslice_from(long lo) const { return reslice(lo, n_); }
  friend bool operator==(const slice& s, nil_t) { return s.p_ == nullptr; }

 private:
  T* p_ = nullptr;
  long n_ = 0;
  long c_ = 0;
};
template <class T>
long len(const slice<T>& s) {
  return s.len();
}
template <class T>
long cap(const slice<T>& s) {
  return s.cap();
}

template <class T>
slice<T> make_slice(long n, long c) {
  if (n < 0 || c < n || c > (1l << 40)) fault();
  if (c == 0) return slice<T>(new T[1]{}, 0, 0);
  return slice<T>(new T[c]{}, n, c);
}

template <class T>
slice<T> slice_of(std::initializer_list<T> values) {
  const long n = static_cast<long>(values.size());
  slice<T> s = make_slice<T>(n, n);
  long i = 0;
  for (const T& v : values) s.ref(i++) = v;
  return s;
}

// Room for `extra` more elements: in place while the capacity lasts (Go's
// aliasing), else a new backing array (doubling, at least what is needed).
template <class T>
slice<T> grow(const slice<T>& s, long extra) {
  const long need = s.len() + extra;
  if (need <= s.cap()) return s.reslice(0, need);
  long c = s.cap() < 256 ? 2 * s.cap() : s.cap() + (s.cap() + 768) / 4;
  if (c < need) c = need;
  slice<T> out = make_slice<T>(need, c);
  for (long i = 0; i < s.len(); ++i) out.ref(i) = s[i];
  return out;
}
template <class T, class... V>
slice<T> append(const slice<T>& s, const V&... v) {
  slice<T> out = grow(s, static_cast<long>(sizeof...(V)));
  long i = s.len();
  ((out.ref(i++) = static_cast<T>(v)), ...);
  return out;
}
template <class T>
slice<T> append_all(const slice<T>& s, const slice<T>& t) {
  const long n = t.len();
  // Copy the source first: it may share the destination's backing array.
  T* tmp = n > 0 ? new T[n] : nullptr;
  for (long i = 0; i < n; ++i) tmp[i] = t[i];
  slice<T> out = grow(s, n);
  for (long i = 0; i < n; ++i) out.ref(s.len() + i) = tmp[i];
  return out;
}
template <class T>
long copy(const slice<T>& dst, const slice<T>& src) {
  const long n = dst.len() < src.len() ? dst.len() : src.len();
  if (n == 0) return 0;
  if (dst.data() <= src.data())
    for (long i = 0; i < n; ++i) dst.ref(i) = src[i];
  else
    for (long i = n - 1; i >= 0; --i) dst.ref(i) = src[i];
  return n;
}

template <class T, long N>
struct array {
  T v[N == 0 ? 1 : N]{};
  T& operator[](long i) {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(N)) fault();
    return v[i];
  }
  const T& operator[](long i) const {
    if (static_cast<unsigned long>(i) >= static_cast<unsigned long>(N)) fault();
    return v[i];
  }
  go::slice<T> reslice(long lo, long hi) { return go::slice<T>(v, N, N).reslice(lo, hi); }
  go::slice<T> reslice_from(long lo) { return reslice(lo, N); }
  friend bool operator==(const array& a, const array& b) {
    for (long i = 0; i < N; ++i)
      if (!(a.v[i] == b.v[i])) return false;
    return true;
  }
};
template <class T, long N>
constexpr long len(const array<T, N>&) {
  return N;
}
template <class T, long N>
constexpr long cap(const array<T, N>&) {
  return N;
}

// A Go map: a reference to a table (nil until made). Insertion-ordered
// slots with linear lookup: trader maps are small. Go randomises the order
// of range over a map; any fixed order is one Go may produce.
template <class K, class V>
class map {
  struct table {
    K* keys = nullptr;
    V* values = nullptr;
    bool* live = nullptr;
    long used = 0, count = 0, cap = 0;
  };

 public:
  struct entry {
    K key;
    V value;
  };
  map() = default;
  map(nil_t) {}
  static map make() {
    map m;
    m.t_ = new table{};
    return m;
  }
  static map of(std::initializer_list<entry> entries) {
    map m = make();
    for (const entry& e : entries) m.ref(e.key) = e.value;
    return m;
  }
  long len() const { return t_ ? t_->count : 0; }
  V get(const K& k) const {
    const long i = find(k);
    return i < 0 ? V{} : t_->values[i];
  }
  tuple<V, bool> lookup(const K& k) const {
    const long i = find(k);
    return i < 0 ? tuple<V, bool>(V{}, false) : tuple<V, bool>(t_->values[i], true);
  }
  V& ref(const K& k) {
    if (t_ == nullptr) fault();  // assignment to entry in nil map
    const long i = find(k);
    if (i >= 0) return t_->values[i];
    if (t_->used == t_->cap) {
      const long c = t_->cap == 0 ? 8 : 2 * t_->cap;
      K* keys = new K[c]{};
      V* values = new V[c]{};
      bool* live = new bool[c]{};
      for (long j = 0; j < t_->used; ++j) {
        keys[j] = t_->keys[j];
        values[j] = t_->values[j];
        live[j] = t_->live[j];
      }
      t_->keys = keys;
      t_->values = values;
      t_->live = live;
      t_->cap = c;
    }
    const long j = t_->used++;
    t_->keys[j] = k;
    t_->values[j] = V{};
    t_->live[j] = true;
    ++t_->count;
    return t_->values[j];
  }
  void erase(const K& k) {
    const long i = find(k);
    if (i < 0) return;
    t_->live[i] = false;
    --t_->count;
  }
  long slots() const { return t_ ? t_->used : 0; }
  bool live(long i) const { return t_->live[i]; }
  const K& key_at(long i) const { return t_->keys[i]; }
  const V& value_at(long i) const { return t_->values[i]; }
  friend bool operator==(const map& m, nil_t) { return m.t_ == nullptr; }

 private:
  long find(const K& k) const {
    if (t_ == nullptr) return -1;
    for (long i = 0; i < t_->used; ++i)
      if (t_->live[i] && t_->keys[i] == k) return i;
    return -1;
  }
  table* t_ = nullptr;
};
template <class K, class V>
long len(const map<K, V>& m) {
  return m.len();
}

// Runes and UTF-8, as Go decodes them (invalid bytes read as U+FFFD, size 1).
struct decoded_rune {
  int value;
  long size;
};
inline decoded_rune decode_rune(const string& s, long i) {
  const long n = s.len() - i;
  const unsigned char c0 = s[i];
  if (c0 < 0x80) return {c0, 1};
  auto cont = [&](long k) { return k < n && (s[i + k] & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF && cont(1)) return {((c0 & 0x1F) << 6) | (s[i + 1] & 0x3F), 2};
  if (c0 >= 0xE0 && c0 <= 0xEF && cont(1) && cont(2)) {
    const int r = ((c0 & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) return {r, 3};
  }
  if (c0 >= 0xF0 && c0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const int r = ((c0 & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
                  (s[i + 3] & 0x3F);
    if (r >= 0x10000 && r <= 0x10FFFF) return {r, 4};
  }
  return {0xFFFD, 1};
}
template <class I>
string string_from_rune(I value) {
  long r = static_cast<long>(value);
  if (r < 0 || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  char* p = new char[4];
  long n;
  if (r < 0x80) {
    p[0] = static_cast<char>(r);
    n = 1;
  } else if (r < 0x800) {
    p[0] = static_cast<char>(0xC0 | (r >> 6));
    p[1] = static_cast<char>(0x80 | (r & 0x3F));
    n = 2;
  } else if (r < 0x10000) {
    p[0] = static_cast<char>(0xE0 | (r >> 12));
    p[1] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    p[2] = static_cast<char>(0x80 | (r & 0x3F));
    n = 3;
  } else {
    p[0] = static_cast<char>(0xF0 | (r >> 18));
    p[1] = static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    p[2] = static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    p[3] = static_cast<char>(0x80 | (r & 0x3F));
    n = 4;
  }
  return string(p, n);
}
inline string string_from_slice(const slice<unsigned char>& b) {
  char* p = new char[b.len() + 1];
  for (long i = 0; i < b.len(); ++i) p[i] = static_cast<char>(b[i]);
  return string(p, b.len());
}
inline string string_from_slice(const slice<int>& runes) {
  string out;
  for (long i = 0; i < runes.len(); ++i) out = out + string_from_rune(runes[i]);
  return out;
}
template <class T>
slice<T> slice_from_string(const string& s) {
  if constexpr (sizeof(T) == 1) {
    slice<T> out = make_slice<T>(s.len(), s.len());
    for (long i = 0; i < s.len(); ++i) out[i] = static_cast<T>(s[i]);
    return out;
  } else {
    slice<T> out = make_slice<T>(0, s.len());
    for (long i = 0; i < s.len();) {
      const decoded_rune d = decode_rune(s, i);
      out = append(out, static_cast<T>(d.value));
      i += d.size;
    }
    return out;
  }
}

// Go's error: nil, or a message.
class error {
 public:
  error() = default;
  error(nil_t) {}
  explicit error(const string& message) : message_(message), set_(true) {}
  string Error() const { return message_; }
  friend bool operator==(const error& e, nil_t) { return !e.set_; }

 private:
  string message_;
  bool set_ = false;
};

}  // namespace vyx::go
