// Translated faults: an index out of range, a nil dereference, an integer
// division by zero end that evaluation as a fault (the process that ran it
// traps, as a worker would), never a wild read or a silent NaN.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::run_end;
using vyx::test::run_go;

TEST_CASE("Go faults are contained faults of the trader") {
  CHECK(run_go("k := data.Klines[\"1h\"]\nreturn k[len(k)+5].Close > 0", "fault_index") ==
        run_end::fault);
  CHECK(run_go("k := data.Klines[\"1h\"]\nreturn k[-1+len(k)-len(k)].Close > 0", "fault_negative") ==
        run_end::fault);
  CHECK(run_go("s := []int{1, 2}\nt := s[1:5]\nreturn len(t) > 0", "fault_slice") == run_end::fault);
  CHECK(run_go("e := indicators.CalculateEMA(data.Klines[\"1h\"][:3], 50)\nreturn *e > 0",
               "fault_nil") == run_end::fault);
  CHECK(run_go("z := len(data.Klines[\"4h\"])\nreturn 10/z > 1", "fault_div") == run_end::fault);
  CHECK(run_go("var m map[string]int\nm[\"a\"] = 1\nreturn true", "fault_nil_map") == run_end::fault);
  // The same shapes without the fault run normally.
  CHECK(run_go("k := data.Klines[\"1h\"]\nreturn k[len(k)-1].Close > 0", "no_fault") ==
        run_end::matched);
}
