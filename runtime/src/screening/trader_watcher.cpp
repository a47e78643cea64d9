// inotify watch of the traders folder.
#include "vyx/runtime/screening/trader_watcher.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace vyx::runtime {

trader_watcher::trader_watcher(const std::filesystem::path& dir) {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) throw std::system_error(errno, std::generic_category(), "inotify_init1");
  // Close-after-write and moves, not every write: a half-written plugin is never loaded.
  if (inotify_add_watch(
          inotify_fd_, dir.c_str(),
          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB) < 0) {
    int error = errno;
    close(inotify_fd_);
    throw std::system_error(error, std::generic_category(), "inotify_add_watch " + dir.string());
  }
  stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (stop_fd_ < 0) {
    int error = errno;
    close(inotify_fd_);
    throw std::system_error(error, std::generic_category(), "eventfd");
  }
}

trader_watcher::~trader_watcher() {
  close(inotify_fd_);
  close(stop_fd_);
}

bool trader_watcher::wait(std::chrono::milliseconds timeout, std::chrono::milliseconds settle) {
  auto drain = [this] {
    alignas(inotify_event) char buffer[4096];
    bool any = false;
    while (read(inotify_fd_, buffer, sizeof buffer) > 0) any = true;
    return any;
  };
  pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  if (poll(fds, 2, static_cast<int>(timeout.count())) <= 0 || (fds[1].revents & POLLIN))
    return false;
  if (!drain()) return false;
  // Let a burst (copy, then chmod, then rename) finish before reporting it.
  while (true) {
    pollfd again[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    int ready = poll(again, 2, static_cast<int>(settle.count()));
    if (ready > 0 && (again[1].revents & POLLIN)) return false;
    if (ready <= 0 || !drain()) break;
  }
  return true;
}

void trader_watcher::stop() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto written = write(stop_fd_, &one, sizeof one);
}

}  // namespace vyx::runtime
