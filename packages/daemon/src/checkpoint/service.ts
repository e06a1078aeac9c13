import type { CheckpointsPruneResponse, CheckpointsStatusResponse, HermesConfig } from '@hermes/protocol';
import { checkpointStores, pruneCheckpoints, pruneLimits } from './prune.js';

export interface CheckpointServiceDeps {
  home: string;
  loadConfig(): Promise<HermesConfig>;
  sessionExists(id: string): boolean;
  /** No run is active anywhere: pruning never competes with a run. */
  idle(): boolean;
  log(level: 'info' | 'warn', msg: string, fields?: Record<string, unknown>): void;
}

/** How often the daemon looks for a chance to prune, and how far apart prunes are. */
const CHECK_EVERY_MS = 10 * 60_000;
const PRUNE_EVERY_MS = 60 * 60_000;
/** The first look comes a little after start-up, not in the way of it. */
const FIRST_CHECK_MS = 2 * 60_000;

/** The shadow stores as a whole: their status, and pruning them (by hand or when the daemon is idle). */
export class CheckpointService {
  private lastPrune: number | null = null;
  private running: Promise<CheckpointsPruneResponse> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: CheckpointServiceDeps) {}

  async status(): Promise<CheckpointsStatusResponse> {
    const config = await this.deps.loadConfig().catch(() => ({}) as HermesConfig);
    const stores = await checkpointStores(this.deps.home);
    return {
      enabled: config.checkpoints?.enabled !== false,
      stores,
      totalBytes: stores.reduce((a, s) => a + s.bytes, 0),
      limits: pruneLimits(config),
      lastPrune: this.lastPrune === null ? null : new Date(this.lastPrune).toISOString(),
    };
  }

  /** One prune at a time: a second caller gets the one under way. */
  prune(): Promise<CheckpointsPruneResponse> {
    this.running ??= (async () => {
      try {
        const config = await this.deps.loadConfig().catch(() => ({}) as HermesConfig);
        const r = await pruneCheckpoints({
          home: this.deps.home,
          limits: pruneLimits(config),
          sessionExists: this.deps.sessionExists,
          idle: this.deps.idle,
        });
        this.lastPrune = Date.now();
        if (r.removedRefs > 0) this.deps.log('info', 'pruned checkpoints', { ...r });
        return r;
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Prunes now and then while nothing runs. */
  start(): void {
    const check = () => {
      const due = this.lastPrune === null || Date.now() - this.lastPrune >= PRUNE_EVERY_MS;
      if (due && this.deps.idle() && !this.running)
        void this.prune().catch((e: unknown) => this.deps.log('warn', 'checkpoint prune failed', { error: String(e) }));
      this.timer = setTimeout(check, CHECK_EVERY_MS);
      this.timer.unref();
    };
    this.timer = setTimeout(check, FIRST_CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
