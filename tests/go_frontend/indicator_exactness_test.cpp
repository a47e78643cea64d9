// The compat indicators (abi/include/vyx/sdk/go/indicators.hpp) run their
// window sums and chains side by side for speed; they must still give the
// platform's definitions bit for bit. Here a Go body computes each definition
// the plain way (shared/PLATFORM.md's loops, one value at a time) and compares
// every element with ==, on three timeframes of different shapes (a sine, a
// steady rise, a repeating step), computed by the plugin and served by the
// runtime's host.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::expect_true;

TEST_CASE("the compat indicators equal the platform's plain definitions bit for bit") {
  const char* body = R"(ok := true
same := func(a, b []float64) bool {
    if len(a) != len(b) {
        return false
    }
    for i := range a {
        if a[i] != b[i] {
            return false
        }
    }
    return true
}
rsi := func(g, l float64) float64 {
    if l == 0 {
        if g > 0 {
            return 100
        }
        return 50
    }
    return 100 - 100/(1+g/l)
}
for _, tf := range []string{"1m", "5m", "1h"} {
    k := data.Klines[tf]
    n := len(k)
    for _, p := range []int{1, 2, 5, 13, 20, 50} {
        ma := make([]float64, n)
        up := make([]float64, n)
        lo := make([]float64, n)
        for i := p - 1; i < n; i++ {
            s := 0.0
            for j := i; j > i-p; j-- {
                s += k[j].Close
            }
            ma[i] = s / float64(p)
            sq := 0.0
            for j := i; j > i-p; j-- {
                d := k[j].Close - ma[i]
                sq += d * d
            }
            sd := math.Sqrt(sq / float64(p))
            up[i] = ma[i] + 2.5*sd
            lo[i] = ma[i] - 2.5*sd
        }
        bb := indicators.CalculateBollingerBands(k, p, 2.5)
        ok = ok && same(indicators.CalculateMASeries(k, p), ma) && bb != nil &&
            same(bb.Middle, ma) && same(bb.Upper, up) && same(bb.Lower, lo)
    }
    for _, p := range []int{2, 14, 15, 30} {  // both parities of n - p: the values go in pairs
        v := make([]float64, n)
        g, l := 0.0, 0.0
        for i := 1; i <= p; i++ {
            ch := k[i].Close - k[i-1].Close
            if ch > 0 {
                g += ch
            } else {
                l += -ch
            }
        }
        g = g / float64(p)
        l = l / float64(p)
        v[p] = rsi(g, l)
        for i := p + 1; i < n; i++ {
            ch := k[i].Close - k[i-1].Close
            gain, loss := 0.0, 0.0
            if ch > 0 {
                gain = ch
            } else {
                loss = -ch
            }
            g = (g*float64(p-1) + gain) / float64(p)
            l = (l*float64(p-1) + loss) / float64(p)
            v[i] = rsi(g, l)
        }
        r := indicators.CalculateRSI(k, p)
        latest := indicators.GetLatestRSI(k, p)
        ok = ok && r != nil && same(r.Values, v) && latest != nil && *latest == v[n-1]
    }
    fasts := []int{12, 5, 3}
    slows := []int{26, 35, 10}
    signals := []int{9, 5, 16}
    for c := range fasts {
        f, s, sg := fasts[c], slows[c], signals[c]
        ef, es := k[0].Close, k[0].Close
        af, as := 2.0/float64(f+1), 2.0/float64(s+1)
        m := make([]float64, n)
        m[0] = ef - es
        for i := 1; i < n; i++ {
            ef = k[i].Close*af + ef*(1-af)
            es = k[i].Close*as + es*(1-as)
            m[i] = ef - es
        }
        sig := make([]float64, n)
        sum := 0.0
        for i := 0; i < sg; i++ {
            sum += m[i]
        }
        sig[sg-1] = sum / float64(sg)
        a := 2.0 / float64(sg+1)
        for i := sg; i < n; i++ {
            sig[i] = m[i]*a + sig[i-1]*(1-a)
        }
        h := make([]float64, n)
        for i := range m {
            h[i] = m[i] - sig[i]
        }
        r := indicators.CalculateMACD(k, f, s, sg)
        ok = ok && r != nil && same(r.MACD, m) && same(r.Signal, sig) && same(r.Histogram, h)
    }
}
return ok)";
  expect_true("indicators_bit_exact", body);
  // The same calls answered by the runtime's shared window indicators (the
  // host's build of the same kernels), as screening serves them.
  expect_true("indicators_bit_exact_served", body, vyx::test::go_host::shared);
}
