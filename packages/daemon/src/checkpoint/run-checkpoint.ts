import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventDraft, HermesConfig } from '@hermes/protocol';
import { CheckpointsOff, DEFAULT_CHECKPOINTS, ShadowStore, storeDir, type SnapshotLimits } from './store.js';

/** The tools that can change files: a snapshot comes before the first of them in a run. */
export const CHANGING_TOOLS: ReadonlySet<string> = new Set(['write_file', 'patch', 'terminal']);

export function checkpointLimits(config: HermesConfig): SnapshotLimits {
  const c = config.checkpoints;
  return {
    maxFileBytes: c?.maxFileBytes ?? DEFAULT_CHECKPOINTS.maxFileBytes,
    maxFiles: c?.maxFiles ?? DEFAULT_CHECKPOINTS.maxFiles,
    timeoutMs: c?.timeoutMs ?? DEFAULT_CHECKPOINTS.timeoutMs,
  };
}

/** Why a workspace gets no checkpoints at all, or null. */
export function refusedWorkspace(real: string, home: string): string | null {
  if (real === path.parse(real).root) return 'the workspace is the filesystem root';
  if (real === home) return 'the workspace is your home folder';
  return null;
}

export interface RunCheckpointDeps {
  home: string;
  workspace: string;
  sessionId: string;
  runId: string;
  messageId?: string;
  config: HermesConfig;
  emit(draft: EventDraft): Promise<void>;
  log?(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void;
}

/**
 * A run's checkpoint: a snapshot before its first file-changing tool call, one at its end, and
 * `checkpoint.created` when they differ. Any failure is a notice; the run itself never waits on
 * more than one snapshot's time limit, and never fails because of checkpoints.
 */
export class RunCheckpoint {
  private before: Promise<string | null> | null = null;
  private store: ShadowStore | null = null;
  private off = false;

  constructor(private readonly deps: RunCheckpointDeps) {}

  private get enabled(): boolean {
    return this.deps.config.checkpoints?.enabled !== false && !this.off;
  }

  /** Called before a tool runs; snapshots once, before the first tool that can change files. */
  async beforeTool(tool: string): Promise<void> {
    if (!CHANGING_TOOLS.has(tool) || !this.enabled) return;
    this.before ??= this.take();
    await this.before;
  }

  private async turnOff(reason: string): Promise<void> {
    this.off = true;
    await this.deps.emit({ type: 'notice', data: { level: 'warn', message: `checkpoints off: ${reason}` } }).catch(() => {});
  }

  private async take(): Promise<string | null> {
    try {
      if (!this.store) {
        const real = await fs.realpath(this.deps.workspace);
        const refused = refusedWorkspace(real, await fs.realpath(os.homedir()).catch(() => os.homedir()));
        if (refused) {
          await this.turnOff(refused);
          return null;
        }
        this.store = new ShadowStore(storeDir(this.deps.home, real), real);
      }
      return await this.store.snapshot(checkpointLimits(this.deps.config));
    } catch (e) {
      if (e instanceof CheckpointsOff) await this.turnOff(e.message);
      else {
        this.deps.log?.('warn', 'checkpoint snapshot failed', { runId: this.deps.runId, error: String(e) });
        await this.turnOff(`the snapshot failed (${e instanceof Error ? e.message.slice(0, 200) : String(e)})`);
      }
      return null;
    }
  }

  /** At the run's end: the after-snapshot, and the event when anything changed. */
  async finish(): Promise<void> {
    if (!this.before) return;
    const before = await this.before;
    if (!before || !this.store || !this.enabled) return;
    const after = await this.take();
    if (!after || after === before) return;
    try {
      const files = await this.store.diff(before, after);
      await this.store.pin(`refs/hermes/${this.deps.sessionId}/${this.deps.runId}`, before, after);
      if (!files.length) return;
      await this.deps.emit({
        type: 'checkpoint.created',
        data: { runId: this.deps.runId, ...(this.deps.messageId ? { messageId: this.deps.messageId } : {}), before, after, files },
      });
    } catch (e) {
      this.deps.log?.('warn', 'checkpoint diff failed', { runId: this.deps.runId, error: String(e) });
    }
  }
}
