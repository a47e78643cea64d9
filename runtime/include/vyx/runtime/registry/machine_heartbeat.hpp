// The machine's heartbeat in the platform's user_fly_apps row:
// last_health_check = now() and health_status every period (30 s).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "vyx/runtime/database/pg_session.hpp"

namespace vyx::runtime {

struct heartbeat_options {
  pg_options database;
  std::string user_id;       // the row is the user's (user_fly_apps.user_id is unique)
  std::string fly_app_name;  // when set, the row must also carry this name
  std::chrono::milliseconds period{30000};
};

class machine_heartbeat {
 public:
  // `healthy` is asked before each beat ("healthy" or "unhealthy").
  machine_heartbeat(heartbeat_options options, std::function<bool()> healthy);
  ~machine_heartbeat();
  machine_heartbeat(const machine_heartbeat&) = delete;
  machine_heartbeat& operator=(const machine_heartbeat&) = delete;

  void stop();                  // joins the thread; beats() stays readable
  std::uint64_t beats() const;  // heartbeats that updated the row

 private:
  void run_();

  heartbeat_options options_;
  std::function<bool()> healthy_;
  pg_session session_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t beats_ = 0;
  std::thread thread_;
};

}  // namespace vyx::runtime
