// Polls `done` until it holds or `timeout` passes: for conditions only visible
// from outside a process (a file, a database row, a /metrics counter), with a
// deadline. Shared by several test folders: included as "../support/eventually.hpp"
// (relative, so no test program's include path, and so its compile cache, changes).
#pragma once

#include <chrono>
#include <thread>

namespace vyx::test {

// Whether `done()` held before the deadline; it is asked once more at the
// deadline, so a condition that became true during the last pause counts.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll = std::chrono::milliseconds(10)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return done();
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace vyx::test
