-- Idempotent signal writes: the close time of the candle that triggered a
-- signal, and one row per (trader, symbol, interval, candle), so a machine
-- can re-send a batch whose commit it never saw acknowledged
-- (INSERT ... ON CONFLICT DO NOTHING). Rows written before have no candle
-- time (NULL, never equal to another NULL), so the key changes nothing for them.
ALTER TABLE public.signals ADD COLUMN IF NOT EXISTS candle_time timestamptz;
COMMENT ON COLUMN public.signals.candle_time IS
  'close time of the candle that triggered the signal (vyx); NULL for older rows';
CREATE UNIQUE INDEX IF NOT EXISTS signals_trader_symbol_interval_candle_key
  ON public.signals (trader_id, symbol, interval, candle_time);
