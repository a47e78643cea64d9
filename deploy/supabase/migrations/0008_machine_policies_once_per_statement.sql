-- The machine policies of 0004 and 0007 again, with vyx.machine_user_id()
-- wrapped in a scalar subquery. Written bare, the function (SQL, but not
-- inlinable: it sets search_path) ran for every row a policy checked, twice
-- per signal inserted plus the traders look-up: about 15 µs a row, a third of
-- a signal insert's server time. As (SELECT vyx.machine_user_id()) it is an
-- InitPlan, run once per statement (the pattern Supabase's RLS performance
-- guide recommends). Same rows allowed and refused. Idempotent.

DROP POLICY IF EXISTS "vyx machine reads its user's traders" ON public.traders;
CREATE POLICY "vyx machine reads its user's traders" ON public.traders
  FOR SELECT TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()) OR is_built_in);

DROP POLICY IF EXISTS "vyx machine inserts its user's signals" ON public.signals;
CREATE POLICY "vyx machine inserts its user's signals" ON public.signals
  FOR INSERT TO vyx_machine WITH CHECK (
    user_id = (SELECT vyx.machine_user_id()) AND source = 'cloud'
    AND EXISTS (SELECT 1 FROM public.traders t WHERE t.id = trader_id
                AND (t.user_id = (SELECT vyx.machine_user_id()) OR t.is_built_in)));

DROP POLICY IF EXISTS "vyx machine reads its user's signals" ON public.signals;
CREATE POLICY "vyx machine reads its user's signals" ON public.signals
  FOR SELECT TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()));

DROP POLICY IF EXISTS "vyx machine reads its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine reads its status rows" ON public.trader_runtime_status
  FOR SELECT TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()));
DROP POLICY IF EXISTS "vyx machine inserts its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine inserts its status rows" ON public.trader_runtime_status
  FOR INSERT TO vyx_machine WITH CHECK (user_id = (SELECT vyx.machine_user_id()));
DROP POLICY IF EXISTS "vyx machine updates its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine updates its status rows" ON public.trader_runtime_status
  FOR UPDATE TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()))
  WITH CHECK (user_id = (SELECT vyx.machine_user_id()));

DROP POLICY IF EXISTS "vyx machine reads its fly app" ON public.user_fly_apps;
CREATE POLICY "vyx machine reads its fly app" ON public.user_fly_apps
  FOR SELECT TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()));
DROP POLICY IF EXISTS "vyx machine heartbeats its fly app" ON public.user_fly_apps;
CREATE POLICY "vyx machine heartbeats its fly app" ON public.user_fly_apps
  FOR UPDATE TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()))
  WITH CHECK (user_id = (SELECT vyx.machine_user_id()));

DROP POLICY IF EXISTS "vyx machine reads its user's analyses" ON public.signal_analyses;
CREATE POLICY "vyx machine reads its user's analyses" ON public.signal_analyses
  FOR SELECT TO vyx_machine USING (user_id = (SELECT vyx.machine_user_id()));
DROP POLICY IF EXISTS "vyx machine inserts its user's analyses" ON public.signal_analyses;
CREATE POLICY "vyx machine inserts its user's analyses" ON public.signal_analyses
  FOR INSERT TO vyx_machine WITH CHECK (
    user_id = (SELECT vyx.machine_user_id())
    AND EXISTS (SELECT 1 FROM public.signals s WHERE s.id = signal_id
                AND s.user_id = (SELECT vyx.machine_user_id())));
