import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AnyEnvelope, EventDraft } from '@hermes/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventLog, readLog } from './event-log.js';
import { StorageLayer, type FaultHook } from './file-layer.js';
import { StorageError } from './storage-error.js';

const notice = (message: string): EventDraft => ({ type: 'notice', data: { level: 'info', message } });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-log-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A layer whose next failures are scripted: each entry fails one matching operation. */
function scripted(plan: Array<{ op: 'write' | 'sync' | 'truncate'; code: string; partialBytes?: number }>): {
  layer: StorageLayer;
  plan: typeof plan;
} {
  const hook: FaultHook = (op) => {
    const i = plan.findIndex((p) => p.op === op);
    if (i < 0) return null;
    const [p] = plan.splice(i, 1);
    return { code: p!.code, ...(p!.partialBytes !== undefined ? { partialBytes: p!.partialBytes } : {}) };
  };
  return { layer: new StorageLayer(dir, hook, 0), plan };
}

async function openLog(layer: StorageLayer, committed: AnyEnvelope[] = []) {
  const file = path.join(dir, 's.jsonl');
  const { log } = await EventLog.open(file, 's', (events) => committed.push(...events), layer);
  return { file, log, committed };
}

const seqsOnDisk = async (file: string) => (await readLog(file)).events.map((e) => e.seq);

describe('EventLog under storage faults', () => {
  it('a torn write is cut, its seqs are handed out again and the next append just works', async () => {
    const { layer, plan } = scripted([]);
    const { file, log, committed } = await openLog(layer);
    await log.append([notice('one')]);
    plan.push({ op: 'write', code: 'ENOSPC', partialBytes: 30 });
    const failed = log.append([notice('two'), notice('three')]);
    await expect(failed).rejects.toBeInstanceOf(StorageError);
    await expect(failed).rejects.toMatchObject({ code: 'ENOSPC' });
    await log.drain();
    // Only the committed line is in the file: no torn half-line in the middle.
    expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    expect(layer.health()).toMatchObject({ ok: false, code: 'ENOSPC' });
    const [e] = await log.append([notice('four')]);
    expect(e!.seq).toBe(2);
    expect(await seqsOnDisk(file)).toEqual([1, 2]);
    expect(committed.map((c) => c.seq)).toEqual([1, 2]);
    expect(layer.health().ok).toBe(true);
    await log.close();
  });

  it('appends queued behind a failed write fail with it (their seqs followed it)', async () => {
    const { layer, plan } = scripted([]);
    const { file, log } = await openLog(layer);
    await log.append([notice('zero')]);
    plan.push({ op: 'write', code: 'EIO', partialBytes: 5 });
    const a = log.append([notice('a')]);
    const b = log.append([notice('b')], { durable: true });
    const results = await Promise.allSettled([a, b]);
    // `a` went out alone (the first write), `b` queued behind it: either both failed, or `a`
    // alone failed and `b` was rejected with it because its seq followed a's.
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const [c] = await log.append([notice('c')]);
    expect(c!.seq).toBe(2);
    expect(await seqsOnDisk(file)).toEqual([1, 2]);
    await log.close();
  });

  it('a failed fsync counts as a failed write: the batch is cut and rejected', async () => {
    const { layer } = scripted([{ op: 'sync', code: 'EIO' }]);
    const { file, log } = await openLog(layer);
    await expect(log.append([notice('x')], { durable: true })).rejects.toMatchObject({ code: 'EIO' });
    await log.drain();
    expect(await seqsOnDisk(file)).toEqual([]);
    await log.append([notice('y')], { durable: true });
    expect(await seqsOnDisk(file)).toEqual([1]);
    await log.close();
  });

  it('when even the cut fails, the next append cuts first (never glues onto a torn line)', async () => {
    const { layer } = scripted([
      { op: 'write', code: 'EIO', partialBytes: 17 },
      { op: 'truncate', code: 'EIO' },
    ]);
    const { file, log } = await openLog(layer);
    await expect(log.append([notice('torn')])).rejects.toBeInstanceOf(StorageError);
    await log.drain();
    expect((await readFile(file)).length).toBe(17);
    await log.append([notice('whole')]);
    const { events } = await readLog(file);
    expect(events.map((e) => (e.data as { message: string }).message)).toEqual(['whole']);
    await log.close();
  });

  it('random failures on 400 appends: the file always equals what was committed, gap-free', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const hook: FaultHook = (op, _file, bytes) =>
      random() < 0.15
        ? {
            code: ['EIO', 'ENOSPC', 'EDQUOT'][Math.floor(random() * 3)]!,
            ...(op === 'write' ? { partialBytes: Math.floor(random() * bytes) } : {}),
          }
        : null;
    const layer = new StorageLayer(dir, hook, 0);
    const { file, log, committed } = await openLog(layer);
    let ok = 0;
    let failed = 0;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 400; i++) {
      const p = log.append([notice(`n${i} ${'x'.repeat(i % 50)}`)], { durable: i % 7 === 0 }).then(
        () => ok++,
        (err: unknown) => {
          expect(err).toBeInstanceOf(StorageError);
          failed++;
        },
      );
      pending.push(p);
      if (i % 3 === 0) await p;
    }
    await Promise.all(pending);
    await log.close();
    expect(ok).toBeGreaterThan(50);
    expect(failed).toBeGreaterThan(10);
    const { events } = await readLog(file);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events).toEqual(committed);
    // The file ends exactly after its last good line.
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n') || text === '').toBe(true);
    expect(text.split('\n').filter(Boolean)).toHaveLength(events.length);
  });

  it('a log that cannot be opened for writing still loads; appends fail with a storage error', async () => {
    const file = path.join(dir, 'ro.jsonl');
    const { log: w } = await EventLog.open(file, 'ro', () => {});
    await w.append([notice('kept')], { durable: true });
    await w.close();
    const { chmod } = await import('node:fs/promises');
    await chmod(file, 0o400);
    if (process.getuid?.() === 0) return; // root writes anyway: nothing to test
    const { log, loaded } = await EventLog.open(file, 'ro', () => {});
    expect(loaded.events).toHaveLength(1);
    await expect(log.append([notice('no')])).rejects.toMatchObject({ code: 'EACCES' });
    await log.close();
  });
});
