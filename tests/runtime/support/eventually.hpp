// Polls `done` until it holds or `timeout` passes: for conditions only visible
// from outside a process (a file, a database row), with a deadline.
#pragma once

#include <chrono>
#include <thread>

namespace vyx::test {

template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace vyx::test
