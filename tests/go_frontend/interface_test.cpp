// Go's empty interface in translated traders: nil, dynamic types and ==, as
// Go has them (each body returns true when every comparison agrees with Go).
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::run_end;
using vyx::test::run_go;

TEST_CASE("interface{} == nil is true only for the nil interface") {
  CHECK(run_go("var a interface{}\nvar p *float64\nvar b interface{} = p\n"
               "var m map[string]int\nvar c interface{} = m\n"
               "return a == nil && b != nil && c != nil && interface{}(nil) == nil",
               "iface_nil") == run_end::matched);
}

TEST_CASE("interfaces are equal with the same dynamic type and an equal value") {
  CHECK(run_go("var a interface{} = 1\nvar b interface{} = 1.0\nvar c interface{} = 1\n"
               "var d interface{} = int32(1)\nvar s interface{} = \"x\"\n"
               "return a != b && a == c && a != d && s == \"x\" && s != a && a == 1",
               "iface_types") == run_end::matched);
  CHECK(run_go("x := 2.0\nvar p interface{} = &x\nvar q interface{} = &x\ny := 2.0\n"
               "var r interface{} = &y\nvar n interface{} = math.NaN()\n"
               "return p == q && p != r && n != n",
               "iface_pointers") == run_end::matched);
  CHECK(run_go("type P struct{ A int }\nvar a interface{} = P{1}\nvar b interface{} = P{1}\n"
               "var c interface{} = P{2}\nreturn a == b && a != c && a != 1",
               "iface_structs") == run_end::matched);
}

TEST_CASE("comparing two interfaces holding slices faults, as Go panics") {
  CHECK(run_go("var a interface{} = []int{1}\nvar b interface{} = []int{1}\n"
               "var c interface{} = 1\nif a == c { return false }\nreturn a == b",
               "iface_uncomparable") == run_end::fault);
}

TEST_CASE("v.(T) and v, ok := v.(T) take the value out of an interface") {
  CHECK(run_go("var v interface{} = 1.5\nf := v.(float64)\ns, ok := v.(string)\nn, isInt := v.(int)\n"
               "var m interface{} = map[string]interface{}{\"y\": 2}\n"
               "mm := m.(map[string]interface{})\ny, yok := mm[\"y\"].(int)\n"
               "return f == 1.5 && !ok && s == \"\" && !isInt && n == 0 && yok && y == 2",
               "iface_assert") == run_end::matched);
  CHECK(run_go("var v interface{} = \"x\"\nreturn v.(float64) > 0", "iface_assert_fault") ==
        run_end::fault);
}
