import { useEffect, useState } from 'react';

/**
 * A clock for spinners and elapsed times that runs only while `active`: an idle TUI, or one
 * waiting on an approval, schedules no timers and uses no CPU.
 */
export function useTicker(active: boolean, intervalMs = 125): { now: number; frame: number } {
  const [tick, setTick] = useState({ now: Date.now(), frame: 0 });
  useEffect(() => {
    if (!active) return;
    setTick((t) => ({ now: Date.now(), frame: t.frame + 1 }));
    const id = setInterval(() => setTick((t) => ({ now: Date.now(), frame: t.frame + 1 })), intervalMs);
    return () => clearInterval(id);
  }, [active, intervalMs]);
  return tick;
}
