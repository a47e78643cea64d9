// inotify on the trader files' folders, and a signalfd for SIGINT/SIGTERM, in one poll.
#include "source_watcher.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <system_error>

#include "trader_sources.hpp"

namespace vyx::cli {
namespace fs = std::filesystem;

namespace {

std::system_error system_failure(const std::string& what) {
  return std::system_error(errno, std::generic_category(), what);
}

// Saves land as a close after writing or a rename onto the name; a delete or
// a move away is reported too (the run then says the file is missing).
constexpr std::uint32_t save_events = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;

}  // namespace

source_watcher::source_watcher(const std::vector<fs::path>& paths) {
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal_fd_ = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0) throw system_failure("signalfd");
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) {
    auto failure = system_failure("inotify_init1");
    close(signal_fd_);
    throw failure;
  }
  for (const auto& path : paths) {
    std::error_code ec;
    const bool folder = fs::is_directory(path, ec);
    const fs::path dir = folder ? path : fs::absolute(path).parent_path();
    const int watch = inotify_add_watch(inotify_fd_, dir.c_str(), save_events);
    if (watch < 0) {
      auto failure = system_failure("cannot watch " + dir.string());
      close(inotify_fd_);
      close(signal_fd_);
      throw failure;
    }
    auto& entry = folders_[watch];  // two files of one folder share its watch
    entry.dir = dir;
    if (folder)
      entry.every_trader_file = true;
    else
      entry.names.insert(path.filename().string());
  }
}

source_watcher::~source_watcher() {
  close(inotify_fd_);
  close(signal_fd_);
}

bool source_watcher::stop_requested() {
  signalfd_siginfo info;
  while (read(signal_fd_, &info, sizeof info) == sizeof info) stop_ = true;
  return stop_;
}

bool source_watcher::relevant_(int watch, const std::string& name) const {
  auto it = folders_.find(watch);
  if (it == folders_.end()) return false;
  // Hidden names are editors' scratch and lock files (.#x.cpp, .x.cpp.swp), never traders.
  if (it->second.every_trader_file) return name[0] != '.' && trader_sources::is_trader_file(name);
  return it->second.names.count(name) > 0;
}

bool source_watcher::drain_relevant_() {
  alignas(inotify_event) char buffer[8192];
  bool relevant = false;
  ssize_t length;
  while ((length = read(inotify_fd_, buffer, sizeof buffer)) > 0) {
    for (char* at = buffer; at < buffer + length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      if (event->len > 0 && relevant_(event->wd, event->name)) relevant = true;
      at += sizeof(inotify_event) + event->len;
    }
  }
  return relevant;
}

source_watcher::outcome source_watcher::wait(std::chrono::milliseconds settle) {
  bool changed = false;
  while (true) {
    if (stop_requested()) return outcome::stop;
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {signal_fd_, POLLIN, 0}};
    // Until the first relevant event, wait for ever; after it, only until
    // the burst has been quiet for `settle`.
    const int ready = poll(fds, 2, changed ? static_cast<int>(settle.count()) : -1);
    if (ready < 0 && errno != EINTR) throw system_failure("poll");
    if (ready == 0) return outcome::changed;
    if (fds[0].revents & POLLIN) changed = drain_relevant_() || changed;
  }
}

}  // namespace vyx::cli
