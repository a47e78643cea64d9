-- AI analyses written by the user machines (vyx run with DATABASE_URL and
-- OPENROUTER_API_KEY). Idempotent, on top of whatever the project has:
--  * signal_analyses (created if missing, columns as the platform's) gets one
--    row per signal at most (unique signal_id), so a machine that re-sends an
--    analysis after a restart inserts nothing (ON CONFLICT DO NOTHING);
--  * a machine role reads its own user's signals (to find the signal an
--    analysis belongs to) and inserts analyses only for those signals;
--  * vyx.user_tier(uuid): the owner's subscription tier without reading
--    user_profiles through its (recursive) RLS; a machine role gets only its
--    own user's tier;
--  * the platform's AFTER INSERT trigger (signals_request_analysis, which asks
--    the llm-proxy edge function) no longer fires for rows a vyx machine wrote
--    (candle_time set, migration 0001): the machine analyses those itself, so
--    each signal is analysed once. Rows without candle_time (the Go backend,
--    the web app) still go to llm-proxy. Consequence: a vyx machine without
--    OPENROUTER_API_KEY leaves its signals unanalysed (provisioning sets it).

CREATE TABLE IF NOT EXISTS public.signal_analyses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  signal_id uuid NOT NULL REFERENCES public.signals (id) ON DELETE CASCADE,
  trader_id uuid REFERENCES public.traders (id) ON DELETE CASCADE,
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  decision text CHECK (decision IN ('enter_trade', 'bad_setup', 'wait')),
  confidence integer CHECK (confidence BETWEEN 0 AND 100),
  reasoning text,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.signal_analyses ADD COLUMN IF NOT EXISTS model text;
COMMENT ON COLUMN public.signal_analyses.model IS 'the LLM that wrote the analysis (vyx machines)';
ALTER TABLE public.signal_analyses ENABLE ROW LEVEL SECURITY;

-- One analysis per signal. Older duplicates (if the platform wrote any) keep
-- the oldest row, so the unique index can be built.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'signal_analyses_signal_key') THEN
    DELETE FROM public.signal_analyses a USING public.signal_analyses b
      WHERE a.signal_id = b.signal_id AND (a.created_at, a.id) > (b.created_at, b.id);
  END IF;
END $$;
CREATE UNIQUE INDEX IF NOT EXISTS signal_analyses_signal_key ON public.signal_analyses (signal_id);

-- A machine reads its user's signals (the analysis writer looks the signal up
-- by trader, symbol, interval and candle time).
GRANT SELECT ON public.signals TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine reads its user's signals" ON public.signals;
CREATE POLICY "vyx machine reads its user's signals" ON public.signals
  FOR SELECT TO vyx_machine USING (user_id = vyx.machine_user_id());

-- A machine inserts analyses of its user's signals only, under its user.
GRANT SELECT, INSERT ON public.signal_analyses TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine reads its user's analyses" ON public.signal_analyses;
CREATE POLICY "vyx machine reads its user's analyses" ON public.signal_analyses
  FOR SELECT TO vyx_machine USING (user_id = vyx.machine_user_id());
DROP POLICY IF EXISTS "vyx machine inserts its user's analyses" ON public.signal_analyses;
CREATE POLICY "vyx machine inserts its user's analyses" ON public.signal_analyses
  FOR INSERT TO vyx_machine WITH CHECK (
    user_id = vyx.machine_user_id()
    AND EXISTS (SELECT 1 FROM public.signals s WHERE s.id = signal_id
                AND s.user_id = vyx.machine_user_id()));

-- The owner's tier. plpgsql so that creating it does not need user_profiles
-- (a project without it gets NULL: no analysis). A machine role (session_user
-- mapped in vyx.machine_roles) gets its own user's tier only.
CREATE OR REPLACE FUNCTION vyx.user_tier(p_user uuid) RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
  mapped uuid;
  tier text;
BEGIN
  SELECT m.user_id INTO mapped FROM vyx.machine_roles m WHERE m.role_name = session_user;
  IF mapped IS NOT NULL AND mapped <> p_user THEN
    RETURN NULL;
  END IF;
  IF to_regclass('public.user_profiles') IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE 'SELECT subscription_tier::text FROM public.user_profiles WHERE id = $1'
    INTO tier USING p_user;
  RETURN tier;
END $$;
REVOKE ALL ON FUNCTION vyx.user_tier(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vyx.user_tier(uuid) TO vyx_machine;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    GRANT EXECUTE ON FUNCTION vyx.user_tier(uuid) TO service_role;
    GRANT USAGE ON SCHEMA vyx TO service_role;
  END IF;
END $$;

-- The platform's trigger skips what a vyx machine analyses itself. Its
-- function is left as the platform wrote it; only the trigger gets a WHEN.
DO $$
DECLARE
  fn regproc;
BEGIN
  SELECT t.tgfoid::regproc INTO fn FROM pg_trigger t
    WHERE t.tgrelid = 'public.signals'::regclass AND t.tgname = 'signals_request_analysis'
      AND NOT t.tgisinternal;
  IF fn IS NOT NULL THEN
    DROP TRIGGER signals_request_analysis ON public.signals;
    EXECUTE format('CREATE TRIGGER signals_request_analysis AFTER INSERT ON public.signals '
                   'FOR EACH ROW WHEN (NEW.candle_time IS NULL) EXECUTE FUNCTION %s()', fn);
  END IF;
END $$;
