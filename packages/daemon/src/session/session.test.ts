import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ENVELOPE_VERSION, type EventDraft } from '@hermes/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RING_SIZE, Session } from './session.js';
import { Subscriber, type EventFrame } from './subscriber.js';

const notice = (message: string): EventDraft => ({ type: 'notice', data: { level: 'info', message } });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hermes-session-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const SID = '20261201_120000_abcdef';
const file = () => path.join(dir, `${SID}.jsonl`);
const load = async () => (await Session.load(SID, file(), () => {})).session;

/** Splits SSE frames into { id, event, data }. */
function framesOf(text: string) {
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const lines = block.split('\n');
      const field = (k: string) => lines.find((l) => l.startsWith(`${k}: `))?.slice(k.length + 2);
      return { id: Number(field('id')), event: field('event'), data: field('data')!, lines: lines.length };
    });
}

function live(session: Session, after = 0) {
  const writes: string[] = [];
  const sub = new Subscriber({ write: (fr) => (writes.push(fr), true), buffered: 0, destroy: () => {} }, after);
  session.subscribe(sub);
  return { sub, text: () => writes.join('') };
}

async function replayed(session: Session, after: number): Promise<string> {
  const out: EventFrame[] = [];
  await session.replay(
    after,
    (fr) => (out.push(fr), true),
    async () => {},
  );
  return out.map((fr) => fr.frame).join('');
}

describe('Session: one encoding per event for the log and SSE', () => {
  it('each event is JSON.stringify-ed once, and its SSE data is the very line written to the log', async () => {
    const session = await load();
    const a = live(session);
    a.sub.goLive();
    const b = live(session);
    b.sub.goLive();
    const stringify = vi.spyOn(JSON, 'stringify');
    await session.append([notice('one'), notice('two'), { type: 'message.delta', data: { messageId: 'm1', text: 'a "quoted"\nline' } }]);
    const envelopeCalls = stringify.mock.calls.filter(([v]) => typeof v === 'object' && v !== null && 'seq' in v);
    expect(envelopeCalls).toHaveLength(3);
    stringify.mockRestore();

    const lines = (await readFile(file(), 'utf8')).trimEnd().split('\n');
    const frames = framesOf(a.text());
    expect(frames.map((f) => f.data)).toEqual(lines);
    expect(frames.map((f) => [f.id, f.event, f.lines])).toEqual([
      [1, 'notice', 3],
      [2, 'notice', 3],
      [3, 'message.delta', 3],
    ]);
    expect(b.text()).toBe(a.text());
    expect(JSON.parse(frames[2]!.data)).toMatchObject({ v: ENVELOPE_VERSION, seq: 3, data: { text: 'a "quoted"\nline' } });
    await session.close();
  });

  it('a replay (from the ring, after a reload too) sends the same frames as live', async () => {
    const s1 = await load();
    const l = live(s1);
    l.sub.goLive();
    await s1.append([notice('one'), notice('two'), notice('three')]);
    expect(await replayed(s1, 0)).toBe(l.text());
    expect(framesOf(await replayed(s1, 1)).map((f) => f.id)).toEqual([2, 3]);
    await s1.close();

    const s2 = await load();
    expect(await replayed(s2, 0)).toBe(l.text());
    await s2.append([notice('four')]);
    expect(framesOf(await replayed(s2, 2)).map((f) => f.id)).toEqual([3, 4]);
    await s2.close();
  });

  it('a hand-edited log line with CRLF or extra spaces still makes one well-formed frame per event', async () => {
    const line = (seq: number, msg: string) =>
      JSON.stringify({
        v: ENVELOPE_VERSION,
        seq,
        sessionId: SID,
        ts: new Date().toISOString(),
        type: 'notice',
        data: { level: 'info', message: msg },
      });
    await appendFile(file(), `${line(1, 'crlf')}\r\n${line(2, 'spaced').replace('{', '{  ')}\n`);
    const s = await load();
    const frames = framesOf(await replayed(s, 0));
    expect(frames.map((f) => [f.id, f.event, f.lines])).toEqual([
      [1, 'notice', 3],
      [2, 'notice', 3],
    ]);
    expect(frames.map((f) => JSON.parse(f.data).data.message)).toEqual(['crlf', 'spaced']);
    await s.close();
  });

  it('events older than the ring are replayed from the log file, in order, without gap', async () => {
    const total = RING_SIZE + 50;
    const lines: string[] = [];
    for (let seq = 1; seq <= total; seq++) {
      lines.push(
        JSON.stringify({
          v: ENVELOPE_VERSION,
          seq,
          sessionId: SID,
          ts: '2026-12-01T12:00:00.000Z',
          type: 'notice',
          data: { level: 'info', message: `n${seq}` },
        }),
      );
    }
    await appendFile(file(), lines.join('\n') + '\n');
    const s = await load();
    const frames = framesOf(await replayed(s, 10));
    expect(frames.map((f) => f.id)).toEqual(Array.from({ length: total - 10 }, (_, i) => i + 11));
    expect(frames.map((f) => f.data)).toEqual(lines.slice(10));
    await s.close();
  });
});
