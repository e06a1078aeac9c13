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

/** Whether a tool can change files: the built-in writers and any MCP tool. */
export function canChangeFiles(tool: string): boolean {
  return CHANGING_TOOLS.has(tool) || tool.startsWith('mcp__');
}

/**
 * A run's checkpoint: a snapshot just before and just after each tool call that can change
 * files; the run's record is what changed inside those windows (so a file the user edits while
 * the model is thinking is never taken for the agent's), from the first window's start to the
 * last one's end, as one `checkpoint.created` at the run's end. Any failure is a notice; the
 * run never fails because of checkpoints.
 */
export class RunCheckpoint {
  private before: Promise<string | null> | null = null;
  private windowStart: Promise<string | null> | null = null;
  private last: string | null = null;
  private readonly touched = new Set<string>();
  private store: ShadowStore | null = null;
  private off = false;

  constructor(private readonly deps: RunCheckpointDeps) {}

  private get enabled(): boolean {
    return this.deps.config.checkpoints?.enabled !== false && !this.off;
  }

  /** Called before a tool runs (changing tools run one at a time). */
  async beforeTool(tool: string): Promise<void> {
    if (!canChangeFiles(tool) || !this.enabled) return;
    this.windowStart = this.take();
    this.before ??= this.windowStart;
    await this.windowStart;
  }

  /** Called when the tool has ended: what changed since its start is the run's. */
  async afterTool(tool: string): Promise<void> {
    if (!canChangeFiles(tool) || !this.windowStart) return;
    const start = await this.windowStart;
    this.windowStart = null;
    if (!start || !this.enabled || !this.store) return;
    const end = await this.take();
    if (!end) return;
    this.last = end;
    if (end === start) return;
    try {
      for (const f of await this.store.diff(start, end)) this.touched.add(f.path);
    } catch (e) {
      this.deps.log?.('warn', 'checkpoint diff failed', { runId: this.deps.runId, error: String(e) });
    }
  }

  private async turnOff(reason: string): Promise<void> {
    this.off = true;
    await this.deps.emit({ type: 'notice', data: { level: 'warn', message: `checkpoints off: ${reason}` } }).catch(() => {});
  }

  private async take(): Promise<string | null> {
    if (this.off) return null;
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

  /** At the run's end: the event, when the tools changed anything. */
  async finish(): Promise<void> {
    if (!this.before) return;
    // A tool the run's end cut short (cancel) still gets its window closed.
    if (this.windowStart) await this.afterTool('write_file');
    const before = await this.before;
    const after = this.last;
    if (!before || !after || !this.store || !this.enabled || !this.touched.size || after === before) return;
    try {
      const files = (await this.store.diff(before, after)).filter((f) => this.touched.has(f.path));
      if (!files.length) return;
      await this.store.pin(`refs/hermes/${this.deps.sessionId}/${this.deps.runId}`, before, after);
      await this.deps.emit({
        type: 'checkpoint.created',
        data: { runId: this.deps.runId, ...(this.deps.messageId ? { messageId: this.deps.messageId } : {}), before, after, files },
      });
    } catch (e) {
      this.deps.log?.('warn', 'checkpoint diff failed', { runId: this.deps.runId, error: String(e) });
    }
  }
}
