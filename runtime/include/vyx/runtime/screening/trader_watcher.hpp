// Watches the traders folder with inotify and reports when its contents
// changed (a file written, moved in or out, or deleted), for hot reload.
#pragma once

#include <chrono>
#include <filesystem>

namespace vyx::runtime {

class trader_watcher {
 public:
  explicit trader_watcher(const std::filesystem::path& dir);  // throws if it cannot watch
  ~trader_watcher();
  trader_watcher(const trader_watcher&) = delete;
  trader_watcher& operator=(const trader_watcher&) = delete;

  // Blocks until the folder changed (true), the timeout passed or stop() was called (false).
  // Changes arriving within `settle` of each other are reported once.
  bool wait(std::chrono::milliseconds timeout,
            std::chrono::milliseconds settle = std::chrono::milliseconds(50));
  void stop();  // from any thread

 private:
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes wait()
};

}  // namespace vyx::runtime
