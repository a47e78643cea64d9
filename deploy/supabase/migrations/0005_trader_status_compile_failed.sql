-- trader_runtime_status.state gains 'compile_failed': a trader whose code
-- does not build (and that has no earlier build running) is not an 'error'
-- of the machine, and the web app shows the two differently. 'error' stays
-- allowed for rows written by earlier versions. Idempotent: the check is
-- dropped and added again each time.
ALTER TABLE public.trader_runtime_status
  DROP CONSTRAINT IF EXISTS trader_runtime_status_state_check;
ALTER TABLE public.trader_runtime_status
  ADD CONSTRAINT trader_runtime_status_state_check CHECK (state IN
    ('stopped', 'starting', 'running', 'stopping', 'error', 'compile_failed', 'quarantined'));
UPDATE public.trader_runtime_status SET state = 'compile_failed'
  WHERE state = 'error' AND last_error IS NOT NULL AND code_hash IS NOT NULL;
