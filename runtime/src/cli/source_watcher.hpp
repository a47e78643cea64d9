// What `vyx backtest --watch` waits on: a save of one of its trader files (or
// a trader file appearing in a watched traders folder), or SIGINT/SIGTERM.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace vyx::cli {

class source_watcher {
 public:
  enum class outcome { changed, stop };

  // Watches the folders of `paths` (a file's folder, so that an editor's
  // write-to-a-temp-file-then-rename counts as a save; a folder itself for
  // every trader file in it), and blocks SIGINT and SIGTERM in this thread
  // (and the threads and processes started after it) so that they arrive on
  // a signalfd instead. Throws std::system_error when it cannot watch.
  explicit source_watcher(const std::vector<std::filesystem::path>& paths);
  ~source_watcher();
  source_watcher(const source_watcher&) = delete;
  source_watcher& operator=(const source_watcher&) = delete;

  // Blocks until a watched file was saved, moved or deleted, then until no
  // further event came for `settle` (an editor's save is a burst: temp file,
  // write, rename, chmod), or until SIGINT/SIGTERM.
  outcome wait(std::chrono::milliseconds settle);

  // True once SIGINT or SIGTERM arrived (never blocks); a run polls it between ticks.
  bool stop_requested();

 private:
  // True when the pending events name a watched file; false when none is pending.
  bool drain_relevant_();
  bool relevant_(int watch, const std::string& name) const;

  struct watched_folder {
    std::filesystem::path dir;
    bool every_trader_file = false;  // a traders folder, not a list of files
    std::set<std::string> names;
  };
  int inotify_fd_ = -1;
  int signal_fd_ = -1;
  bool stop_ = false;
  std::map<int, watched_folder> folders_;  // by inotify watch descriptor
};

}  // namespace vyx::cli
