import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdTypeahead } from './typeahead.js';

/** A stand-in terminal: a stream with a raw-mode switch. */
function fakeTty() {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; raw: boolean; setRawMode(on: boolean): void };
  s.isTTY = true;
  s.raw = false;
  s.setRawMode = (on: boolean) => {
    s.raw = on;
  };
  return s;
}

async function readAll(s: PassThrough): Promise<string> {
  await new Promise((r) => setImmediate(r));
  const chunk = s.read() as Buffer | null;
  return chunk ? chunk.toString('utf8') : '';
}

describe('holdTypeahead: keys typed while chat starts', () => {
  it('turns raw mode on at once and gives every key to the TUI, a cooked line feed as Enter', async () => {
    const tty = fakeTty();
    const t = holdTypeahead(tty as unknown as NodeJS.ReadStream);
    expect(tty.raw).toBe(true);
    tty.write('fix the bug\n');
    tty.write('and é then\r');
    await new Promise((r) => setImmediate(r));
    t.release();
    expect(tty.raw).toBe(true);
    expect(await readAll(tty)).toBe('fix the bug\rand é then\r');
  });

  it('Ctrl+C while starting quits (exit 130) with the terminal back in cooked mode', async () => {
    const tty = fakeTty();
    const codes: number[] = [];
    holdTypeahead(tty as unknown as NodeJS.ReadStream, (c) => codes.push(c));
    tty.write('ab\x03');
    await new Promise((r) => setImmediate(r));
    expect(codes).toEqual([130]);
    expect(tty.raw).toBe(false);
  });

  it('stop() gives the terminal back and keeps nothing', async () => {
    const tty = fakeTty();
    const t = holdTypeahead(tty as unknown as NodeJS.ReadStream);
    tty.write('x');
    await new Promise((r) => setImmediate(r));
    t.stop();
    expect(tty.raw).toBe(false);
    t.release();
    expect(await readAll(tty)).toBe('');
  });

  it('does nothing without a terminal', () => {
    const pipe = new PassThrough() as PassThrough & { isTTY?: boolean };
    const t = holdTypeahead(pipe as unknown as NodeJS.ReadStream);
    expect(pipe.listenerCount('readable')).toBe(0);
    t.release();
  });
});
