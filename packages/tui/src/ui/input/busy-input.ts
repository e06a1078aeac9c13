import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Delivery } from '@hermes/protocol';

/** What Enter does while a run is going (config `tui.busyInput`). */
export type BusyInput = 'queue' | 'steer';

/**
 * `tui.busyInput` from HERMES_HOME/config.json, read when it is needed (so `hermes config set`
 * in another terminal applies at once). A missing or unreadable file means the default, queue.
 */
export async function readBusyInput(home: string): Promise<BusyInput> {
  try {
    const conf = JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8')) as { tui?: { busyInput?: unknown } } | null;
    return conf?.tui?.busyInput === 'steer' ? 'steer' : 'queue';
  } catch {
    return 'queue';
  }
}

/** The delivery of a message typed with Enter: a steer only while a run is going and the config asks for it. */
export function enterDelivery(busy: boolean, mode: BusyInput): Delivery | undefined {
  return busy && mode === 'steer' ? 'steer' : undefined;
}
