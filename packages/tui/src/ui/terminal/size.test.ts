import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { inkStream, TerminalSizeSource } from './size.js';

function fakeTerminal(columns: number, rows: number) {
  const written: string[] = [];
  const tty = Object.assign(new EventEmitter(), { columns, rows, isTTY: true, write: (s: string) => written.push(s) > 0 });
  return { tty: tty as unknown as NodeJS.WriteStream & EventEmitter, written };
}

describe('the stream Ink writes to', () => {
  it('hides the height, keeps resize events from Ink, and passes the rest through', () => {
    const { tty, written } = fakeTerminal(100, 30);
    const ink = inkStream(tty);
    expect(ink.rows).toBe(Number.MAX_SAFE_INTEGER);
    expect(ink.columns).toBe(100);
    expect(ink.isTTY).toBe(true);
    let inkSaw = 0;
    let drains = 0;
    ink.on('resize', () => inkSaw++);
    ink.on('drain', () => drains++);
    tty.emit('resize');
    tty.emit('drain');
    expect(inkSaw).toBe(0);
    expect(drains).toBe(1);
    ink.write('frame');
    expect(written).toEqual(['frame']);
  });

  it('the size source updates before any later listener runs, once per real change', () => {
    const { tty } = fakeTerminal(100, 30);
    const size = new TerminalSizeSource(tty);
    const seen: string[] = [];
    size.subscribe(() => seen.push(`${size.get().columns}x${size.get().rows}`));
    tty.on('resize', () => seen.push(`later saw ${size.get().columns}x${size.get().rows}`));
    Object.assign(tty, { columns: 50, rows: 15 });
    tty.emit('resize');
    tty.emit('resize');
    expect(seen).toEqual(['50x15', 'later saw 50x15', 'later saw 50x15']);
    size.dispose();
    expect(tty.listenerCount('resize')).toBe(1);
  });
});
