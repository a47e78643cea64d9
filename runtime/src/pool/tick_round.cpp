// A round of a generation's workers: send, collect, deadlines, deaths (see
// tick_round.hpp).
#include "pool/tick_round.hpp"

#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "evaluation/plugin_output.hpp"
#include "pool/pool_context.hpp"
#include "protocol/worker_protocol.hpp"

namespace vyx::runtime {

tick_round::tick_round(pool_context& context, const std::vector<trader_spec>& specs,
                       std::vector<std::unique_ptr<worker_process>>& workers,
                       worker_source& source, kind what)
    : context_(context),
      specs_(specs),
      workers_(workers),
      source_(source),
      warm_up_(what == kind::warm_up),
      deadline_ns_(
          std::chrono::duration_cast<std::chrono::nanoseconds>(context.options.deadline).count() +
          watchdog_resolution_ns()),
      silent_limit_(std::max<std::chrono::nanoseconds>(std::chrono::seconds(30),
                                                       context.options.deadline * 20)) {}

void tick_round::run(std::uint64_t tick_id, const std::vector<std::uint32_t>& active,
                     const tick_request& request, tick_result& result,
                     std::set<std::uint32_t>& excluded) {
  tick_id_ = tick_id;
  active_ = &active;
  result_ = &result;
  excluded_ = &excluded;
  const std::size_t symbols = context_.store.symbol_count();
  const std::size_t worker_total = workers_.size();
  if (worker_total == 0) {
    for (std::uint32_t t : active)
      context_.record_fault(specs_[t].id, symbols, outcome::internal_error, "no worker", &result);
    return;
  }
  jobs_.assign(worker_total, job{});
  for (std::size_t w = 0; w < worker_total; ++w) {
    jobs_[w].begin = static_cast<std::uint32_t>(symbols * w / worker_total);
    jobs_[w].end = static_cast<std::uint32_t>(symbols * (w + 1) / worker_total);
  }
  errors_.clear();
  // A job whose worker died is sent again (without the trader the death was
  // pinned on) until every job is done.
  while (send_jobs(request)) collect();
  if (warm_up_) return;
  charge_reported_errors();
}

// Sends every job not yet done to its worker; false when none was left to send.
bool tick_round::send_jobs(const tick_request& request) {
  std::vector<std::uint32_t> traders;
  for (std::uint32_t t : *active_)
    if (!excluded_->count(t)) traders.push_back(t);
  bool any = false;
  for (std::size_t w = 0; w < jobs_.size(); ++w) {
    job& j = jobs_[w];
    if (j.done) continue;
    if (traders.empty() || j.begin == j.end) {
      j.done = true;
      continue;
    }
    if (!workers_[w]) {
      // Its replacement failed to start last time: try again, else report.
      worker_death d;
      workers_[w] = source_.respawn(&d);
      if (!workers_[w]) {
        j.done = true;
        if (!warm_up_)
          for (std::uint32_t t : traders)
            result_->faults.push_back(
                {specs_[t].id, "", outcome::internal_error, "no worker: " + d.reason});
        continue;
      }
    }
    const protocol::tick_command command{tick_id_, request.now_ms, j.begin, j.end, traders};
    workers_[w]->buffer().data.clear();
    if (!workers_[w]->send(command.encode())) {
      handle_death(w, workers_[w]->reap());
      any = true;
      continue;
    }
    j.in_flight = true;
    j.sent = clock::now();
    any = true;
  }
  return any;
}

// Waits for the replies of the jobs in flight, watching their deadlines.
void tick_round::collect() {
  for (;;) {
    std::vector<pollfd> fds;
    std::vector<std::size_t> owner;
    for (std::size_t w = 0; w < jobs_.size(); ++w)
      if (jobs_[w].in_flight) {
        fds.push_back({workers_[w]->fd(), POLLIN, 0});
        owner.push_back(w);
      }
    if (fds.empty()) return;
    // Sleep until a reply or the earliest deadline of a running evaluation.
    std::int64_t wait_ns = deadline_ns_;
    const std::int64_t now_ns = watchdog_ns();
    for (std::size_t w : owner) {
      auto& slot = workers_[w]->slot();
      if (slot.phase.load() == static_cast<std::uint32_t>(worker_phase::evaluating))
        wait_ns = std::min(wait_ns,
                           slot.started_ns.load(std::memory_order_acquire) + deadline_ns_ - now_ns);
    }
    const int wait_ms =
        static_cast<int>(std::clamp<std::int64_t>((wait_ns + 999'999) / 1'000'000, 1, 1000));
    const int rc = poll(fds.data(), fds.size(), wait_ms);
    if (rc < 0 && errno != EINTR) {
      abandon_in_flight(std::string("worker_pool: poll failed: ") + std::strerror(errno));
      return;
    }
    for (std::size_t k = 0; rc > 0 && k < fds.size(); ++k) {
      if (fds[k].revents == 0) continue;
      const std::size_t w = owner[k];
      worker_process& proc = *workers_[w];
      const bool open = proc.buffer().read_some(proc.fd());
      std::vector<char> payload;
      if (proc.buffer().pop(payload)) {
        if (take_reply(w, payload)) {
          jobs_[w].in_flight = false;
          jobs_[w].done = true;
        } else {
          worker_death d = proc.kill_and_reap(false, context_.options.deadline);
          d.pinned = false;
          d.reason = "malformed reply";
          handle_death(w, d);
        }
      } else if (!open) {
        handle_death(w, proc.reap());
      }
    }
    watch_deadlines(owner);
  }
}

// A worker's reply, checked against what it was sent: this tick, this
// generation's traders, the job's symbols. False if it is malformed.
bool tick_round::take_reply(std::size_t w, const std::vector<char>& payload) {
  std::vector<match>& matches = result_->matches;
  const std::size_t before = matches.size();
  const std::optional<protocol::tick_reply> reply =
      protocol::tick_reply::decode_into(payload, matches);
  if (!reply) return false;
  const job& j = jobs_[w];
  const auto refuse = [&] {
    matches.erase(matches.begin() + static_cast<std::ptrdiff_t>(before), matches.end());
    return false;
  };
  if (reply->tick_id != tick_id_) return refuse();
  for (std::size_t i = before; i < matches.size(); ++i)
    if (matches[i].trader_index >= specs_.size() || matches[i].symbol_index < j.begin ||
        matches[i].symbol_index >= j.end)
      return refuse();
  for (const auto& e : reply->errors)
    if (e.trader >= specs_.size()) return refuse();
  for (const auto& e : reply->errors) errors_.emplace_back(e.trader, e.symbol, e.status);
  result_->evaluations += reply->evaluations;
  workers_[w]->cpu_ns = reply->cpu_ns;
  return true;
}

// The watchdog.
void tick_round::watch_deadlines(const std::vector<std::size_t>& in_flight) {
  const std::int64_t check_ns = watchdog_ns();
  for (std::size_t w : in_flight) {
    if (!jobs_[w].in_flight) continue;
    auto& slot = workers_[w]->slot();
    const bool evaluating =
        slot.phase.load() == static_cast<std::uint32_t>(worker_phase::evaluating);
    if (evaluating && check_ns - slot.started_ns.load(std::memory_order_acquire) > deadline_ns_) {
      handle_death(w, workers_[w]->kill_and_reap(true, context_.options.deadline));
    } else if (!evaluating && clock::now() - jobs_[w].sent > silent_limit_) {
      worker_death d = workers_[w]->kill_and_reap(false, context_.options.deadline);
      d.pinned = false;
      d.reason = "worker silent";
      handle_death(w, d);
    }
  }
}

void tick_round::handle_death(std::size_t w, const worker_death& d) {
  job& j = jobs_[w];
  j.in_flight = false;
  if (warm_up_) {
    // Part of load()'s spawning, like the generation's first workers:
    // not counted as a respawn.
    j.done = true;
    worker_death again;
    workers_[w] = source_.spawn(&again);
    return;
  }
  if (d.pinned && d.trader < specs_.size()) {
    excluded_->insert(d.trader);
    context_.record_fault(specs_[d.trader].id, d.symbol, d.what, d.reason, result_);
  } else if (++j.unpinned_failures >= 2) {
    j.done = true;
    fault_traders_left("worker failed outside any trader: " + d.reason);
  }
  worker_death again;
  workers_[w] = source_.respawn(&again);
  if (!workers_[w]) workers_[w] = source_.respawn(&again);
  if (!workers_[w]) {
    j.done = true;
    fault_traders_left("no worker: " + again.reason);
  }
}

// poll() itself failed: not a worker's doing, and no reply can be waited
// for in this round. The workers in flight are replaced, so that a late
// reply cannot meet the next tick, and every trader still in the round gets
// an internal error that is not charged to it.
void tick_round::abandon_in_flight(const std::string& reason) {
  spdlog::error("{}: the round's workers are replaced, its traders get an internal error", reason);
  for (std::size_t w = 0; w < jobs_.size(); ++w) {
    if (!jobs_[w].in_flight) continue;
    jobs_[w].in_flight = false;
    jobs_[w].done = true;
    (void)workers_[w]->kill_and_reap(false, context_.options.deadline);
    worker_death again;
    workers_[w] = warm_up_ ? source_.spawn(&again) : source_.respawn(&again);
  }
  if (!warm_up_) fault_traders_left(reason);
}

// An internal error for every trader of the round not already excluded:
// reported in the result, not charged to the trader.
void tick_round::fault_traders_left(const std::string& reason) {
  for (std::uint32_t t : *active_)
    if (!excluded_->count(t))
      result_->faults.push_back({specs_[t].id, "", outcome::internal_error, reason});
}

void tick_round::charge_reported_errors() {
  std::sort(errors_.begin(), errors_.end());
  // Over budget in any worker: one fault for the tick, and no result for it
  // (what it matched before the cut depends on where the symbols were split).
  std::set<std::uint32_t> over_budget;
  const auto& options = context_.options;
  for (const auto& [t, s, st] : errors_)
    if ((st == verdict_over_budget || st == verdict_over_window_budget) && !excluded_->count(t) &&
        over_budget.insert(t).second) {
      const status_fault f = describe_status(st);
      const std::string budget =
          st == verdict_over_budget
              ? " (budget " + std::to_string(options.trader_tick_budget.count()) + " ms)"
              : " (budget " + std::to_string(options.trader_window_budget.count()) +
                    " ms a tick over the last " + std::to_string(options.budget_window_ticks) +
                    " ticks)";
      context_.record_fault(specs_[t].id, s, f.what, f.reason + budget, result_);
    }
  for (const auto& [t, s, st] : errors_)
    if (!excluded_->count(t) && !over_budget.count(t)) {
      const status_fault f = describe_status(st);
      context_.record_fault(specs_[t].id, s, f.what, f.reason, result_);
    }
  excluded_->insert(over_budget.begin(), over_budget.end());
}

}  // namespace vyx::runtime
