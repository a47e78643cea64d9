// Verdicts into the platform's `signal_analyses` (migration 0007): the
// signal is found by its idempotency key of migration 0001 (trader, symbol,
// interval, candle time) and the analysis inserted with ON CONFLICT DO
// NOTHING on its unique signal_id, so a job re-run after a restart stores
// nothing twice. A signal not (yet) in Postgres, its outbox still shipping,
// is a retry. Unnamed parameterised statements only (the transaction pooler).
#pragma once

#include <mutex>

#include "vyx/runtime/analysis/analysis_result_writer.hpp"
#include "vyx/runtime/database/pg_session.hpp"

namespace vyx::runtime {

class postgres_analysis_writer final : public analysis_result_writer {
 public:
  explicit postgres_analysis_writer(pg_options database);
  write_outcome write(const analysis_job& job, const analysis_verdict& verdict,
                      const std::string& model, std::string& error) override;

 private:
  std::mutex mutex_;  // the queue's workers share the one connection
  pg_session session_;
};

}  // namespace vyx::runtime
