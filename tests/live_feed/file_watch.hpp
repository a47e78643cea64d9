// Waiting for files another process writes, without polling: inotify on a
// folder tree (sub-folders are watched as they appear), the condition
// re-checked after every change, until it holds or the deadline passes.
#pragma once

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <system_error>

namespace vyx::test {

class folder_watch {
 public:
  explicit folder_watch(std::filesystem::path root) : root_(std::move(root)) {
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
    std::error_code ec;
    std::filesystem::create_directories(root_, ec);
    watch_tree_();
  }
  ~folder_watch() { close(fd_); }
  folder_watch(const folder_watch&) = delete;
  folder_watch& operator=(const folder_watch&) = delete;

  // True once `done()` holds; false when `limit` passes first.
  bool wait(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
      if (done()) return true;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return done();
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) > 0) {
        alignas(inotify_event) char buffer[8192];
        while (read(fd_, buffer, sizeof buffer) > 0) {
        }
        watch_tree_();  // folders created meanwhile (a symbol's first candle)
      }
    }
  }

 private:
  void watch_tree_() {
    constexpr auto mask = IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO;
    inotify_add_watch(fd_, root_.c_str(), mask);  // the same folder again: the same watch
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec))
      if (it->is_directory(ec)) inotify_add_watch(fd_, it->path().c_str(), mask);
  }

  std::filesystem::path root_;
  int fd_ = -1;
};

}  // namespace vyx::test
