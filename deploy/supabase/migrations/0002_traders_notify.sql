-- Tells the user's machine that a trader changed: NOTIFY on channel
-- `vyx_traders` with {"op", "id", "user_id"} after every insert, update and
-- delete. The machine still reconciles periodically (a notification is lost
-- while it is disconnected), so this only makes changes fast, not reliable.
CREATE OR REPLACE FUNCTION public.vyx_notify_trader_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_data public.traders;
BEGIN
  IF TG_OP = 'DELETE' THEN row_data := OLD; ELSE row_data := NEW; END IF;
  PERFORM pg_notify('vyx_traders', json_build_object(
    'op', lower(TG_OP), 'id', row_data.id, 'user_id', row_data.user_id)::text);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS vyx_traders_notify ON public.traders;
CREATE TRIGGER vyx_traders_notify AFTER INSERT OR UPDATE OR DELETE ON public.traders
  FOR EACH ROW EXECUTE FUNCTION public.vyx_notify_trader_change();
