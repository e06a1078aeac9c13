import { useEffect, useState } from 'react';

/**
 * A clock for spinners and elapsed times that runs only while `active`: an idle TUI, or one
 * waiting on an approval, schedules no timers and uses no CPU.
 */
export function useTicker(active: boolean, intervalMs = 125): { now: number; frame: number } {
  const [tick, setTick] = useState(() => ({ now: Date.now(), frame: 0 }));
  useEffect(() => {
    if (!active) return;
    // Deliberate: the clock is set at once when it starts again, or elapsed times would read
    // from when it last stopped for a whole interval.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setTick((t) => ({ now: Date.now(), frame: t.frame + 1 }));
    const id = setInterval(() => setTick((t) => ({ now: Date.now(), frame: t.frame + 1 })), intervalMs);
    return () => clearInterval(id);
  }, [active, intervalMs]);
  return tick;
}
