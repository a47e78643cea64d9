// The analysis queue's Postgres writer: one statement finds the signal and
// inserts its analysis, reporting whether the signal was there.
#include "vyx/runtime/analysis/postgres_analysis_writer.hpp"

#include <pqxx/pqxx>

#include "vyx/runtime/database/uuid_text.hpp"

namespace vyx::runtime {
namespace {

// Returns (signals found, analyses inserted). The candle time is built from
// the close time in ms exactly as the outbox stored it (no float rounding).
constexpr const char* insert_analysis = R"sql(
WITH s AS (
  SELECT id, trader_id, user_id FROM public.signals
  WHERE trader_id = $1::uuid AND symbol = $2 AND interval = $3
    AND candle_time = 'epoch'::timestamptz + $4::bigint * interval '1 millisecond'),
ins AS (
  INSERT INTO public.signal_analyses (signal_id, trader_id, user_id, decision, confidence,
                                      reasoning, model)
  SELECT s.id, s.trader_id, s.user_id, $5, $6, $7, $8 FROM s
  ON CONFLICT (signal_id) DO NOTHING RETURNING 1)
SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM ins)
)sql";

}  // namespace

postgres_analysis_writer::postgres_analysis_writer(pg_options database)
    : session_(std::move(database)) {}

write_outcome postgres_analysis_writer::write(const analysis_job& job, const analysis_verdict& verdict,
                                              const std::string& model, std::string& error) {
  if (!is_uuid_text(job.trader)) {
    error = "trader '" + job.trader + "' is not a platform trader (no uuid)";
    return write_outcome::refused;
  }
  long found = 0;
  std::lock_guard lock(mutex_);
  const pg_failure failure = session_.transact(
      [&](pqxx::transaction_base& t) {
        const pqxx::row row = t.exec_params1(insert_analysis, job.trader, job.symbol, job.timeframe,
                                             job.close_time, decision_name(verdict.decision),
                                             verdict.confidence, verdict.reasoning, model);
        found = row[0].as<long>();
      },
      error);
  if (failure == pg_failure::transient) return write_outcome::retry;
  if (failure == pg_failure::data) return write_outcome::refused;
  if (found == 0) {
    error = "the signal is not in Postgres yet";
    return write_outcome::retry;
  }
  return write_outcome::stored;
}

}  // namespace vyx::runtime
