import { DaemonClient } from '../client/api.js';
import { ensureDaemon } from '../client/autostart.js';
import { DaemonUnavailableError } from '../client/errors.js';

/**
 * The bridge's way to the daemon: found (or auto-started) on first use, not at start-up, so
 * `initialize` answers at once; found again when it stops answering (restarted: new port).
 */
export class DaemonLink {
  private client: Promise<DaemonClient> | null = null;

  constructor(readonly home: string) {}

  get(): Promise<DaemonClient> {
    if (!this.client) {
      const p = ensureDaemon(this.home).then((state) => new DaemonClient(state));
      // A failed start is not cached: the next call tries again.
      p.catch(() => {
        if (this.client === p) this.client = null;
      });
      this.client = p;
    }
    return this.client;
  }

  refresh(): Promise<DaemonClient> {
    this.client = null;
    return this.get();
  }

  /** One call, retried once against a fresh daemon when this one cannot be reached. */
  async call<T>(f: (client: DaemonClient) => Promise<T>): Promise<T> {
    const client = await this.get();
    try {
      return await f(client);
    } catch (err) {
      if (!(err instanceof DaemonUnavailableError)) throw err;
      return f(await this.refresh());
    }
  }
}
