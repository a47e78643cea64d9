-- Per-trader runtime status written by the user's machine: state,
-- evaluations, signals, faults, why it is quarantined or failed to compile,
-- and when it last ran. Users read their own rows.
CREATE TABLE IF NOT EXISTS public.trader_runtime_status (
  trader_id uuid PRIMARY KEY REFERENCES public.traders (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  fly_app_id uuid REFERENCES public.user_fly_apps (id) ON DELETE SET NULL,
  state text NOT NULL DEFAULT 'starting'
    CHECK (state IN ('stopped', 'starting', 'running', 'stopping', 'error', 'quarantined')),
  evaluations bigint NOT NULL DEFAULT 0,
  signals bigint NOT NULL DEFAULT 0,
  faults bigint NOT NULL DEFAULT 0,
  quarantine_reason text,
  last_error text,
  code_hash text,
  last_run_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS trader_runtime_status_user ON public.trader_runtime_status (user_id);
ALTER TABLE public.trader_runtime_status ENABLE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS "Users read own trader status" ON public.trader_runtime_status;
CREATE POLICY "Users read own trader status" ON public.trader_runtime_status
  FOR SELECT TO authenticated USING (user_id = auth.uid());
REVOKE ALL ON public.trader_runtime_status FROM anon, authenticated;
GRANT SELECT ON public.trader_runtime_status TO authenticated;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    GRANT ALL ON public.trader_runtime_status TO service_role;
  END IF;
END $$;
