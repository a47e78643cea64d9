-- The platform's tables as PLATFORM.md describes them, plus the bits of the
-- `auth` schema and the roles Supabase provides, so deploy/supabase/migrations
-- can be applied to a plain PostgreSQL 15 in tests. Not the platform's DDL
-- (it is not public): the known columns, constraints and policies, including
-- the admin policies that recurse on user_profiles (a known defect).

-- Supabase: roles and auth.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN NOINHERIT; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS; END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS auth;
CREATE TABLE IF NOT EXISTS auth.users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- Supabase's auth.uid(): the `sub` claim of the request's JWT, set by PostgREST.
CREATE OR REPLACE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT nullif(coalesce(current_setting('request.jwt.claim.sub', true),
                         current_setting('request.jwt.claims', true)::jsonb ->> 'sub'), '')::uuid
$$;
GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA public TO anon, authenticated, service_role;

-- user_profiles, with the admin policy that reads its own table.
CREATE TABLE public.user_profiles (
  id uuid PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
  email text,
  subscription_tier text NOT NULL DEFAULT 'free',
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users read own profile" ON public.user_profiles FOR SELECT TO authenticated
  USING (id = auth.uid());
CREATE POLICY "Admins read all profiles" ON public.user_profiles FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.id = auth.uid() AND p.is_admin));

-- traders
CREATE TABLE public.traders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  name text NOT NULL,
  description text,
  enabled boolean NOT NULL DEFAULT true,
  filter jsonb,
  strategy jsonb,
  is_built_in boolean NOT NULL DEFAULT false,
  language text DEFAULT 'go',
  auto_analyze_signals boolean NOT NULL DEFAULT false,
  category text,
  difficulty text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.traders ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users read own and built-in traders" ON public.traders FOR SELECT TO authenticated
  USING (user_id = auth.uid() OR is_built_in);
CREATE POLICY "Users write own traders" ON public.traders FOR ALL TO authenticated
  USING (user_id = auth.uid()) WITH CHECK (user_id = auth.uid());
CREATE POLICY "Admins manage traders" ON public.traders FOR ALL TO authenticated
  USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.id = auth.uid() AND p.is_admin));

-- user_fly_apps
CREATE TABLE public.user_fly_apps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE REFERENCES auth.users (id) ON DELETE CASCADE,
  fly_app_name text NOT NULL UNIQUE,
  fly_org_slug text,
  status text NOT NULL DEFAULT 'provisioning'
    CHECK (status IN ('provisioning', 'active', 'error', 'deprovisioning', 'deleted')),
  region text DEFAULT 'sin',
  docker_image text,
  deployed_at timestamptz,
  last_health_check timestamptz,
  health_status text DEFAULT 'unknown' CHECK (health_status IN ('healthy', 'unhealthy', 'unknown')),
  error_message text,
  cpu_count integer DEFAULT 2,
  memory_mb integer DEFAULT 512,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.user_fly_apps ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users read own fly app" ON public.user_fly_apps FOR SELECT TO authenticated
  USING (user_id = auth.uid());
CREATE POLICY "Admins read fly apps" ON public.user_fly_apps FOR SELECT TO authenticated
  USING (EXISTS (SELECT 1 FROM public.user_profiles p WHERE p.id = auth.uid() AND p.is_admin));

-- signals
CREATE TABLE public.signals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  trader_id uuid NOT NULL REFERENCES public.traders (id) ON DELETE CASCADE,
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  symbol text NOT NULL,
  interval text,
  timestamp timestamptz NOT NULL DEFAULT now(),
  price_at_signal numeric,
  change_percent_at_signal numeric DEFAULT 0,
  volume_at_signal numeric,
  count integer DEFAULT 1,
  source text NOT NULL DEFAULT 'cloud' CHECK (source IN ('local', 'cloud')),
  fly_app_id uuid REFERENCES public.user_fly_apps (id) ON DELETE SET NULL,
  indicator_data jsonb,
  status text DEFAULT 'new',
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signals_user_created ON public.signals (user_id, created_at DESC);
ALTER TABLE public.signals ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users read own signals" ON public.signals FOR SELECT TO authenticated
  USING (user_id = auth.uid());
-- Only service_role inserts (it bypasses RLS; no INSERT policy for anyone else).

-- signal_analyses, filled by the llm-proxy edge function.
CREATE TABLE public.signal_analyses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  signal_id uuid NOT NULL REFERENCES public.signals (id) ON DELETE CASCADE,
  trader_id uuid REFERENCES public.traders (id) ON DELETE CASCADE,
  user_id uuid REFERENCES auth.users (id) ON DELETE CASCADE,
  decision text CHECK (decision IN ('enter_trade', 'bad_setup', 'wait')),
  confidence integer CHECK (confidence BETWEEN 0 AND 100),
  reasoning text,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE public.signal_analyses ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Users read own analyses" ON public.signal_analyses FOR SELECT TO authenticated
  USING (user_id = auth.uid());

-- The AFTER INSERT trigger that asks llm-proxy for an analysis (pg_net on
-- Supabase); here it records the request, so tests can see it fired.
CREATE TABLE public.analysis_requests (signal_id uuid, requested_at timestamptz DEFAULT now());
CREATE OR REPLACE FUNCTION public.request_signal_analysis() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM public.traders t WHERE t.id = NEW.trader_id AND t.auto_analyze_signals) THEN
    INSERT INTO public.analysis_requests (signal_id) VALUES (NEW.id);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER signals_request_analysis AFTER INSERT ON public.signals
  FOR EACH ROW EXECUTE FUNCTION public.request_signal_analysis();

-- Supabase's default privileges on public; RLS does the filtering.
GRANT ALL ON ALL TABLES IN SCHEMA public TO anon, authenticated, service_role;

-- Realtime: the web app subscribes to INSERTs on signals.
CREATE PUBLICATION supabase_realtime FOR TABLE public.signals;
