// Where the analysis queue stores a verdict when it is not its own SQLite
// table: the platform's Postgres `signal_analyses` (postgres_analysis_writer).
// Called by the queue's worker threads, one job at a time per thread, never
// under the queue's lock; an implementation guards its own connection.
#pragma once

#include <string>

#include "vyx/runtime/analysis/analysis_job.hpp"
#include "vyx/runtime/analysis/analysis_verdict.hpp"

namespace vyx::runtime {

enum class write_outcome {
  stored,   // written now, or written already (idempotent): the job is done
  retry,    // not now (database down, the signal not there yet): try the job again later
  refused,  // never (the row is refused as it is): the job fails for good
};

class analysis_result_writer {
 public:
  virtual ~analysis_result_writer() = default;
  virtual write_outcome write(const analysis_job& job, const analysis_verdict& verdict,
                              const std::string& model, std::string& error) = 0;
};

}  // namespace vyx::runtime
