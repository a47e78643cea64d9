-- Least privilege for user machines. Each machine logs in as its own role
-- (member of `vyx_machine`), mapped to one user in vyx.machine_roles, which
-- the role can read (its own row) but never write. Through RLS it can read
-- only its user's traders and the built-ins, insert only its user's signals,
-- write only its user's trader_runtime_status rows, and update only its own
-- user_fly_apps health columns. No policy here reads user_profiles.
-- Provisioning creates the roles with vyx.create_machine_role().
CREATE SCHEMA IF NOT EXISTS vyx;
REVOKE ALL ON SCHEMA vyx FROM PUBLIC;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vyx_machine') THEN
    CREATE ROLE vyx_machine NOLOGIN;
  END IF;
END $$;

CREATE TABLE IF NOT EXISTS vyx.machine_roles (
  role_name name PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES auth.users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE vyx.machine_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE vyx.machine_roles FORCE ROW LEVEL SECURITY;
REVOKE ALL ON vyx.machine_roles FROM PUBLIC;
DROP POLICY IF EXISTS "A machine reads its own mapping" ON vyx.machine_roles;
CREATE POLICY "A machine reads its own mapping" ON vyx.machine_roles
  FOR SELECT TO vyx_machine USING (role_name = current_user);

-- The user the current machine role stands for (NULL for any other role).
-- SECURITY INVOKER on purpose: it sees the mapping through the policy above.
CREATE OR REPLACE FUNCTION vyx.machine_user_id() RETURNS uuid
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog AS $$
  SELECT m.user_id FROM vyx.machine_roles m WHERE m.role_name = current_user
$$;

GRANT USAGE ON SCHEMA vyx TO vyx_machine;
GRANT USAGE ON SCHEMA public TO vyx_machine;
GRANT SELECT ON vyx.machine_roles TO vyx_machine;
REVOKE ALL ON FUNCTION vyx.machine_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION vyx.machine_user_id() TO vyx_machine;

-- traders: read own and built-in.
GRANT SELECT ON public.traders TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine reads its user's traders" ON public.traders;
CREATE POLICY "vyx machine reads its user's traders" ON public.traders
  FOR SELECT TO vyx_machine USING (user_id = vyx.machine_user_id() OR is_built_in);

-- signals: insert own, as 'cloud', for a trader it may read.
GRANT INSERT ON public.signals TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine inserts its user's signals" ON public.signals;
CREATE POLICY "vyx machine inserts its user's signals" ON public.signals
  FOR INSERT TO vyx_machine WITH CHECK (
    user_id = vyx.machine_user_id() AND source = 'cloud'
    AND EXISTS (SELECT 1 FROM public.traders t WHERE t.id = trader_id
                AND (t.user_id = vyx.machine_user_id() OR t.is_built_in)));

-- trader_runtime_status: read and upsert own rows.
GRANT SELECT, INSERT, UPDATE ON public.trader_runtime_status TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine reads its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine reads its status rows" ON public.trader_runtime_status
  FOR SELECT TO vyx_machine USING (user_id = vyx.machine_user_id());
DROP POLICY IF EXISTS "vyx machine inserts its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine inserts its status rows" ON public.trader_runtime_status
  FOR INSERT TO vyx_machine WITH CHECK (user_id = vyx.machine_user_id());
DROP POLICY IF EXISTS "vyx machine updates its status rows" ON public.trader_runtime_status;
CREATE POLICY "vyx machine updates its status rows" ON public.trader_runtime_status
  FOR UPDATE TO vyx_machine USING (user_id = vyx.machine_user_id())
  WITH CHECK (user_id = vyx.machine_user_id());

-- user_fly_apps: read its own row, write only the heartbeat columns.
GRANT SELECT ON public.user_fly_apps TO vyx_machine;
GRANT UPDATE (last_health_check, health_status) ON public.user_fly_apps TO vyx_machine;
DROP POLICY IF EXISTS "vyx machine reads its fly app" ON public.user_fly_apps;
CREATE POLICY "vyx machine reads its fly app" ON public.user_fly_apps
  FOR SELECT TO vyx_machine USING (user_id = vyx.machine_user_id());
DROP POLICY IF EXISTS "vyx machine heartbeats its fly app" ON public.user_fly_apps;
CREATE POLICY "vyx machine heartbeats its fly app" ON public.user_fly_apps
  FOR UPDATE TO vyx_machine USING (user_id = vyx.machine_user_id())
  WITH CHECK (user_id = vyx.machine_user_id());

-- Provisioning: one LOGIN role per user machine, mapped to its user.
-- Only the owner (postgres) and service_role may call it.
CREATE OR REPLACE FUNCTION vyx.create_machine_role(p_role name, p_user uuid, p_password text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
BEGIN
  IF p_role !~ '^vyx_m_[a-z0-9_]{1,40}$' THEN
    RAISE EXCEPTION 'machine role names look like vyx_m_<id>, got %', p_role;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
    EXECUTE format('CREATE ROLE %I LOGIN INHERIT PASSWORD %L IN ROLE vyx_machine', p_role, p_password);
  ELSE
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_role, p_password);
  END IF;
  INSERT INTO vyx.machine_roles (role_name, user_id) VALUES (p_role, p_user)
    ON CONFLICT (role_name) DO UPDATE SET user_id = EXCLUDED.user_id;
END $$;
REVOKE ALL ON FUNCTION vyx.create_machine_role(name, uuid, text) FROM PUBLIC;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN
    GRANT EXECUTE ON FUNCTION vyx.create_machine_role(name, uuid, text) TO service_role;
  END IF;
END $$;
