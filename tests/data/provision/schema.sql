-- user_fly_apps as PLATFORM.md describes it (the platform's migrations own the
-- real table), and stand-ins for the machine-role hook functions with the
-- contract of deploy/README.md.
CREATE TABLE user_fly_apps (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL UNIQUE,
  fly_app_name text NOT NULL UNIQUE,
  fly_org_slug text,
  status text NOT NULL DEFAULT 'provisioning'
    CHECK (status IN ('provisioning', 'active', 'error', 'deprovisioning', 'deleted')),
  region text,
  docker_image text,
  deployed_at timestamptz,
  last_health_check timestamptz,
  health_status text DEFAULT 'unknown' CHECK (health_status IN ('healthy', 'unhealthy', 'unknown')),
  error_message text,
  cpu_count integer DEFAULT 2,
  memory_mb integer DEFAULT 512,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION vyx_ensure_machine_role(p_user_id uuid, p_role text, p_password text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_role) THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', p_role, p_password);
  ELSE
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', p_role, p_password);
  END IF;
  EXECUTE format('COMMENT ON ROLE %I IS %L', p_role, 'vyx machine of user ' || p_user_id);
END $$;

CREATE FUNCTION vyx_drop_machine_role(p_role text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP ROLE IF EXISTS %I', p_role);
END $$;
