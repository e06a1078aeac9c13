import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../agent/types.js';
import { readLog } from '../store/event-log.js';
import { StorageLayer } from '../store/file-layer.js';
import { StorageError } from '../store/storage-error.js';
import { silentLogger } from '../util/log.js';
import { SessionManager } from './manager.js';
import { Subscriber } from './subscriber.js';

let dir: string;
let failing = false;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-mgr-'));
  failing = false;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Streams a few deltas, turning the disk off after the first: every later write fails. */
const agent: Agent = {
  async run(ctx) {
    await ctx.emit({ type: 'message.started', data: { messageId: `m_${ctx.runId}` } });
    for (let i = 0; i < 5 && !ctx.signal.aborted; i++) {
      if (i === 1 && ctx.transcript.items.filter((it) => it.kind === 'user').at(-1)?.text === 'break') failing = true;
      // Not awaited, as the real loop does with tool output: must never reject.
      void ctx.emit({ type: 'message.delta', data: { messageId: `m_${ctx.runId}`, text: `t${i} ` } });
      await new Promise((r) => setTimeout(r, 5));
    }
    await ctx.emit({ type: 'message.completed', data: { messageId: `m_${ctx.runId}`, text: 'done', toolCalls: [] } });
    return { stopReason: 'done', usage: { inputTokens: 0, outputTokens: 0 } };
  },
};

function manager() {
  const layer = new StorageLayer(dir, (op) => (failing && op !== 'truncate' ? { code: 'EIO', partialBytes: 3 } : null), 0);
  const env = {
    home: dir,
    loadConfig: async () => ({}),
    loadEnv: async () => ({}),
    addToAllowlist: async () => {},
    secrets: async () => [],
  };
  return { m: new SessionManager(dir, agent, env, silentLogger, { storage: layer }), layer };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('SessionManager when the disk fails mid-run', () => {
  it('a run whose end cannot be written: clients get storage_error, the POST gets a StorageError, and once the disk is back the end is written first', async () => {
    const { m, layer } = manager();
    await m.loadAll();
    const created = await m.create({ workspace: dir });
    if (!created.ok) throw new Error(created.error.message);
    const s = created.value;
    const session = await m.open(s.id);
    const frames: string[] = [];
    const sub = new Subscriber({ write: (f) => (frames.push(f), true), buffered: 0, destroy: () => {} }, 0);
    session!.subscribe(sub);
    sub.goLive();

    const first = await m.postMessage(s.id, { text: 'break' });
    expect(first.ok).toBe(true);
    await until(() => frames.some((f) => f.startsWith('event: storage_error')), 'the storage_error frame');
    expect(frames.find((f) => f.startsWith('event: storage_error'))).toMatch(/I\/O error/);
    expect(layer.health()).toMatchObject({ ok: false, code: 'EIO' });
    expect(m.counts().active).toBe(0);

    // Still failing: the message is refused (the route answers 507), nothing half-written.
    await expect(m.postMessage(s.id, { text: 'again', requestId: 'r1' })).rejects.toBeInstanceOf(StorageError);

    failing = false;
    const second = await m.postMessage(s.id, { text: 'again', requestId: 'r1' });
    expect(second.ok && !second.value.queued).toBe(true);
    await until(
      () => session!.transcript.activeRunId === null && session!.transcript.messageCount >= 4,
      `the second run: ${JSON.stringify(session!.transcript.items.map((i) => i.kind))} ${session!.transcript.activeRunId} ${m.counts().active}`,
    );
    await m.shutdown();

    const { events } = await readLog(path.join(dir, `${s.id}.jsonl`));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const ends = events.filter((e) => e.type === 'run.completed').map((e) => e.data as { stopReason: string; error?: { kind: string } });
    expect(ends).toEqual([
      expect.objectContaining({ stopReason: 'error', error: expect.objectContaining({ kind: 'storage' }) }),
      expect.objectContaining({ stopReason: 'done' }),
    ]);
    // The retried requestId was taken as new (the refused one never reached the disk).
    expect(events.filter((e) => e.type === 'message.user').map((e) => (e.data as { text: string }).text)).toEqual(['break', 'again']);
  });
});
