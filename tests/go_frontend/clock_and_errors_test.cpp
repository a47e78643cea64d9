// The standard names a trader may use beyond the list: time.Now is
// the evaluation moment (like data.Timestamp, so a backtest sees what a live
// run saw), errors.New makes an error value; waiting is refused.
#include <doctest/doctest.h>

#include "go_support.hpp"

using vyx::test::run_go;

TEST_CASE("time.Now is the evaluation moment and errors.New an error value") {
  CHECK(std::string(to_string(run_go(
            "now := time.Now()\nreturn now.Equal(data.Timestamp) && time.Since(data.Timestamp) == 0 && "
            "time.Until(data.Timestamp.Add(time.Minute)) == time.Minute",
            "clock"))) == "matched");
  CHECK(std::string(to_string(run_go(
            "err := errors.New(\"too quiet\")\nvar none error\n"
            "return err != nil && err.Error() == \"too quiet\" && none == nil",
            "errors"))) == "matched");
}

TEST_CASE("a trader may not wait: time.Sleep and timers are refused at their .go position") {
  const vyx::compiler::compile_result sleep = vyx::test::check_go("x := 1\n  time.Sleep(time.Second)\nreturn x > 0");
  REQUIRE_FALSE(sleep.diagnostics.empty());
  CHECK(sleep.diagnostics.front().rule == "go-no-sleep");
  CHECK(sleep.diagnostics.front().line == 2);
  CHECK(sleep.diagnostics.front().column == 8);
  const vyx::compiler::compile_result timer = vyx::test::check_go("_ = time.After(time.Second)\nreturn true");
  REQUIRE_FALSE(timer.diagnostics.empty());
  CHECK(timer.diagnostics.front().rule == "go-no-channels");
  CHECK(timer.diagnostics.front().file == "checked.go");
}
