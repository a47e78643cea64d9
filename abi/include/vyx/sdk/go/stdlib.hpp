// The standard names a Go body may use without an import: the subset of
// math, strings, strconv, sort and fmt that traders use. math follows Go's
// special cases (Min/Max with NaN and signed zeros, Round half away from
// zero); Exp/Log/Pow/trigonometry come from libm and may differ from Go's
// own implementations in the last bit. fmt and strconv format numbers
// approximately (%f/%g without exact decimal conversion): text output never
// decides a signal. sort.Slice is stable (Go's is not; equal elements may
// come out in another order).
// Over 400 lines: one header, as a trader may include only the SDK; it is a
// list of small functions, one per standard name.
#pragma once

#include "vyx/sdk/go/types.hpp"

namespace vyx::go {

namespace math {
inline bool IsNaN(double f) {
  return f != f;
}
inline bool IsInf(double f, long sign) {
  return (sign >= 0 && f > 1.7976931348623157e308) || (sign <= 0 && f < -1.7976931348623157e308);
}
inline double Inf(long sign) {
  return sign >= 0 ? __builtin_inf() : -__builtin_inf();
}
inline double NaN() {
  return __builtin_nan("");
}
inline bool Signbit(double x) {
  return __builtin_signbit(x) != 0;
}
inline double Abs(double x) {
  return __builtin_fabs(x);
}
inline double Copysign(double f, double s) {
  return __builtin_copysign(f, s);
}
inline double Max(double x, double y) {
  if (IsInf(x, 1) || IsInf(y, 1)) return Inf(1);
  if (IsNaN(x) || IsNaN(y)) return NaN();
  if (x == 0 && x == y) return Signbit(x) ? y : x;
  return x > y ? x : y;
}
inline double Min(double x, double y) {
  if (IsInf(x, -1) || IsInf(y, -1)) return Inf(-1);
  if (IsNaN(x) || IsNaN(y)) return NaN();
  if (x == 0 && x == y) return Signbit(x) ? x : y;
  return x < y ? x : y;
}
inline double Dim(double x, double y) {
  const double v = x - y;
  return v <= 0 ? 0 : v;
}
inline double Sqrt(double x) {
  return __builtin_sqrt(x);
}
inline double Floor(double x) {
  return __builtin_floor(x);
}
inline double Ceil(double x) {
  return __builtin_ceil(x);
}
inline double Trunc(double x) {
  return __builtin_trunc(x);
}
inline double Round(double x) {
  return __builtin_round(x);
}
inline double RoundToEven(double x) {
  return __builtin_rint(x);
}
inline double Mod(double x, double y) {
  return __builtin_fmod(x, y);
}
inline double Cbrt(double x) {
  return __builtin_cbrt(x);
}
inline double Pow(double x, double y) {
  return __builtin_pow(x, y);
}
inline double Exp(double x) {
  return __builtin_exp(x);
}
inline double Log(double x) {
  return __builtin_log(x);
}
inline double Log10(double x) {
  return __builtin_log10(x);
}
inline double Log2(double x) {
  return __builtin_log2(x);
}
inline double Log1p(double x) {
  return __builtin_log1p(x);
}
inline double Sin(double x) {
  return __builtin_sin(x);
}
inline double Cos(double x) {
  return __builtin_cos(x);
}
inline double Tan(double x) {
  return __builtin_tan(x);
}
inline double Atan(double x) {
  return __builtin_atan(x);
}
inline double Atan2(double y, double x) {
  return __builtin_atan2(y, x);
}
inline double Tanh(double x) {
  return __builtin_tanh(x);
}
inline double Hypot(double p, double q) {
  return __builtin_hypot(p, q);
}
}  // namespace math

namespace strconv {
inline string Itoa(long i) {
  char buf[24];
  int n = 0;
  unsigned long u = i < 0 ? 0ul - static_cast<unsigned long>(i) : static_cast<unsigned long>(i);
  do {
    buf[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (i < 0) buf[n++] = '-';
  char* p = new char[n];
  for (int k = 0; k < n; ++k) p[k] = buf[n - 1 - k];
  return string(p, n);
}
inline string FormatInt(long i, long base) {
  if (base == 10) return Itoa(i);
  if (base < 2 || base > 36) fault();
  char buf[72];
  int n = 0;
  unsigned long u = i < 0 ? 0ul - static_cast<unsigned long>(i) : static_cast<unsigned long>(i);
  do {
    const int d = static_cast<int>(u % static_cast<unsigned long>(base));
    buf[n++] = static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10);
    u /= static_cast<unsigned long>(base);
  } while (u != 0);
  if (i < 0) buf[n++] = '-';
  char* p = new char[n];
  for (int k = 0; k < n; ++k) p[k] = buf[n - 1 - k];
  return string(p, n);
}
inline string FormatBool(bool b) {
  return b ? string("true") : string("false");
}
inline tuple<long, error> ParseInt(const string& s, long base, long) {
  if (base != 0 && base != 10) base = 10;
  long i = 0;
  bool negative = false;
  if (s.len() > 0 && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    i = 1;
  }
  if (i == s.len()) return {0, error(string("strconv.ParseInt: invalid syntax"))};
  unsigned long v = 0;
  for (; i < s.len(); ++i) {
    if (s[i] < '0' || s[i] > '9') return {0, error(string("strconv.ParseInt: invalid syntax"))};
    v = v * 10 + (s[i] - '0');
    if (v > 9223372036854775808ul) return {0, error(string("strconv.ParseInt: value out of range"))};
  }
  if (!negative && v > 9223372036854775807ul)
    return {0, error(string("strconv.ParseInt: value out of range"))};
  return {negative ? static_cast<long>(0ul - v) : static_cast<long>(v), error()};
}
inline tuple<long, error> Atoi(const string& s) {
  return ParseInt(s, 10, 64);
}
// Decimal text to float64; exact for up to 19 significant digits and
// moderate exponents, approximate beyond.
inline tuple<double, error> ParseFloat(const string& s, long) {
  long i = 0;
  bool negative = false;
  if (s.len() > 0 && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    i = 1;
  }
  unsigned long mantissa = 0;
  int digits = 0, exp10 = 0;
  bool any = false, dot = false;
  for (; i < s.len(); ++i) {
    const unsigned char c = s[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    any = true;
    if (digits < 19) {
      mantissa = mantissa * 10 + (c - '0');
      if (mantissa != 0) ++digits;
      if (dot) --exp10;
    } else if (!dot) {
      ++exp10;
    }
  }
  if (i < s.len() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.len() && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    int e = 0;
    for (; i < s.len() && s[i] >= '0' && s[i] <= '9'; ++i) e = e < 10000 ? e * 10 + (s[i] - '0') : e;
    exp10 += eneg ? -e : e;
  }
  if (!any || i != s.len()) return {0.0, error(string("strconv.ParseFloat: invalid syntax"))};
  double v = static_cast<double>(mantissa);
  double scale = 1.0;
  const int e = exp10 < 0 ? -exp10 : exp10;
  for (int k = 0; k < e && k < 400; ++k) scale *= 10.0;
  v = exp10 < 0 ? v / scale : v * scale;
  return {negative ? -v : v, error()};
}
// Fixed notation with `prec` decimals (prec < 0: up to 17 significant digits).
inline string format_fixed(double f, long prec) {
  if (f != f) return string("NaN");
  if (f > 1.7976931348623157e308) return string("+Inf");
  if (f < -1.7976931348623157e308) return string("-Inf");
  const bool negative = f < 0 || (f == 0 && __builtin_signbit(f));
  double a = negative ? -f : f;
  if (prec < 0) prec = 6;
  if (prec > 17) prec = 17;
  double scale = 1.0;
  for (long k = 0; k < prec; ++k) scale *= 10.0;
  if (a >= 9.2e18 / scale) {  // too large for the integer route
    return negative ? string("-Inf") : string("+Inf");  // beyond the integer route (not Go's text)
  }
  const unsigned long whole = static_cast<unsigned long>(a * scale + 0.5);
  const unsigned long units = static_cast<unsigned long>(scale);
  string out = strconv::Itoa(static_cast<long>(whole / units));
  if (prec > 0) {
    char* frac = new char[prec + 1];
    frac[0] = '.';
    unsigned long r = whole % units;
    for (long k = prec; k >= 1; --k) {
      frac[k] = static_cast<char>('0' + r % 10);
      r /= 10;
    }
    out = out + string(frac, prec + 1);
  }
  return negative ? string("-") + out : out;
}
inline string FormatFloat(double f, unsigned char, long prec, long) {
  return format_fixed(f, prec);
}
}  // namespace strconv

namespace strings {
inline long Index(const string& s, const string& sub) {
  for (long i = 0; i + sub.len() <= s.len(); ++i)
    if (s.reslice(i, i + sub.len()) == sub) return i;
  return -1;
}
inline bool Contains(const string& s, const string& sub) {
  return Index(s, sub) >= 0;
}
inline bool HasPrefix(const string& s, const string& p) {
  return s.len() >= p.len() && s.reslice(0, p.len()) == p;
}
inline bool HasSuffix(const string& s, const string& p) {
  return s.len() >= p.len() && s.reslice_from(s.len() - p.len()) == p;
}
inline string TrimPrefix(const string& s, const string& p) {
  return HasPrefix(s, p) ? s.reslice_from(p.len()) : s;
}
inline string TrimSuffix(const string& s, const string& p) {
  return HasSuffix(s, p) ? s.reslice(0, s.len() - p.len()) : s;
}
inline string TrimSpace(const string& s) {
  long a = 0, b = s.len();
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (a < b && space(s[a])) ++a;
  while (b > a && space(s[b - 1])) --b;
  return s.reslice(a, b);
}
inline string map_ascii(const string& s, bool upper) {
  char* p = new char[s.len() + 1];
  for (long i = 0; i < s.len(); ++i) {
    unsigned char c = s[i];
    if (upper && c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 32);
    if (!upper && c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    p[i] = static_cast<char>(c);
  }
  return string(p, s.len());
}
inline string ToUpper(const string& s) {
  return map_ascii(s, true);
}
inline string ToLower(const string& s) {
  return map_ascii(s, false);
}
inline bool EqualFold(const string& a, const string& b) {
  return ToLower(a) == ToLower(b);
}
inline string Repeat(const string& s, long count) {
  if (count < 0) fault();
  string out;
  for (long i = 0; i < count; ++i) out = out + s;
  return out;
}
inline long Count(const string& s, const string& sub) {
  if (sub.len() == 0) return s.len() + 1;
  long n = 0;
  for (long i = 0; i + sub.len() <= s.len();) {
    if (s.reslice(i, i + sub.len()) == sub) {
      ++n;
      i += sub.len();
    } else {
      ++i;
    }
  }
  return n;
}
inline slice<string> Split(const string& s, const string& sep) {
  slice<string> out;
  if (sep.len() == 0) {
    for (long i = 0; i < s.len();) {
      const long n = decode_rune(s, i).size;
      out = append(out, s.reslice(i, i + n));
      i += n;
    }
    return out;
  }
  long start = 0;
  for (long i = 0; i + sep.len() <= s.len();) {
    if (s.reslice(i, i + sep.len()) == sep) {
      out = append(out, s.reslice(start, i));
      i += sep.len();
      start = i;
    } else {
      ++i;
    }
  }
  return append(out, s.reslice_from(start));
}
inline string Join(const slice<string>& elems, const string& sep) {
  string out;
  for (long i = 0; i < elems.len(); ++i) out = i == 0 ? elems[i] : out + sep + elems[i];
  return out;
}
inline string ReplaceAll(const string& s, const string& old, const string& with) {
  if (old.len() == 0) return s;
  string out;
  long start = 0;
  for (long i = 0; i + old.len() <= s.len();) {
    if (s.reslice(i, i + old.len()) == old) {
      out = out + s.reslice(start, i) + with;
      i += old.len();
      start = i;
    } else {
      ++i;
    }
  }
  return out + s.reslice_from(start);
}
}  // namespace strings

namespace sort {
template <class T, class Less>
void insertion_sort(const slice<T>& x, Less less) {
  for (long i = 1; i < x.len(); ++i)
    for (long j = i; j > 0 && less(j, j - 1); --j) {
      const T t = x[j];
      x.ref(j) = x[j - 1];
      x.ref(j - 1) = t;
    }
}
// Merge sort by index comparisons would need an index-stable less; traders
// sort short slices, so insertion sort (stable, O(n^2)) is used throughout.
template <class T, class Less>
void Slice(const slice<T>& x, Less less) {
  insertion_sort(x, less);
}
template <class T, class Less>
void SliceStable(const slice<T>& x, Less less) {
  insertion_sort(x, less);
}
inline void Float64s(const slice<double>& x) {
  // Go orders NaN first.
  insertion_sort(x, [&](long i, long j) { return x[i] < x[j] || (x[i] != x[i] && x[j] == x[j]); });
}
inline void Ints(const slice<long>& x) {
  insertion_sort(x, [&](long i, long j) { return x[i] < x[j]; });
}
inline void Strings(const slice<string>& x) {
  insertion_sort(x, [&](long i, long j) { return x[i] < x[j]; });
}
inline long SearchFloat64s(const slice<double>& a, double v) {
  long lo = 0, hi = a.len();
  while (lo < hi) {
    const long mid = lo + (hi - lo) / 2;
    if (a[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}
inline long SearchInts(const slice<long>& a, long v) {
  long lo = 0, hi = a.len();
  while (lo < hi) {
    const long mid = lo + (hi - lo) / 2;
    if (a[mid] < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}
}  // namespace sort

namespace errors {
inline error New(const string& text) {
  return error(text);
}
}  // namespace errors

namespace fmt {
inline string format_value(const string& s, char, long) {
  return s;
}
inline string format_value(bool b, char, long) {
  return strconv::FormatBool(b);
}
inline string format_value(double f, char, long prec) {
  return strconv::format_fixed(f, prec < 0 ? 6 : prec);
}
template <class T>
string format_value(const T& v, char verb, long prec) {
  if constexpr (std::is_integral_v<T>)
    return strconv::Itoa(static_cast<long>(v));
  else if constexpr (std::is_floating_point_v<T>)
    return format_value(static_cast<double>(v), verb, prec);
  else
    return string("{...}");
}

// The verbs traders use: %v %d %s %t %f %.Nf %g %e %x and %%.
template <class... A>
string Sprintf(const string& format, const A&... args) {
  string out;
  long k = 0;
  auto render = [&](char verb, long prec) -> string {
    string r = string("%!") + string_from_rune(verb) + string("(MISSING)");
    long index = 0;
    ((index++ == k ? (void)(r = format_value(args, verb, prec)) : (void)0), ...);
    ++k;
    return r;
  };
  long i = 0;
  while (i < format.len()) {
    if (format[i] != '%' || i + 1 >= format.len()) {
      const long start = i;
      ++i;
      while (i < format.len() && format[i] != '%') ++i;
      out = out + format.reslice(start, i);
      continue;
    }
    ++i;
    long prec = -1;
    while (i < format.len() && (format[i] == '+' || format[i] == '-' || format[i] == ' ' ||
                                (format[i] >= '0' && format[i] <= '9')))
      ++i;
    if (i < format.len() && format[i] == '.') {
      ++i;
      prec = 0;
      while (i < format.len() && format[i] >= '0' && format[i] <= '9')
        prec = prec * 10 + (format[i++] - '0');
    }
    if (i >= format.len()) break;
    const char verb = static_cast<char>(format[i++]);
    out = out + (verb == '%' ? string("%") : render(verb, prec));
  }
  return out;
}
template <class... A>
string Sprint(const A&... args) {
  string out;
  ((out = out + format_value(args, 'v', -1)), ...);
  return out;
}
template <class... A>
tuple<long, error> Println(const A&...) {
  return {0, error()};
}
template <class... A>
tuple<long, error> Printf(const string&, const A&...) {
  return {0, error()};
}
template <class... A>
error Errorf(const string& format, const A&... args) {
  return error(Sprintf(format, args...));
}
}  // namespace fmt

}  // namespace vyx::go
