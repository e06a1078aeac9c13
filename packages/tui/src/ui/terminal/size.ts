import type { FrameTracker } from './frame.js';

export interface TerminalSize {
  columns: number;
  rows: number;
}

const read = (s: NodeJS.WriteStream): TerminalSize => ({ columns: s.columns || 80, rows: s.rows || 24 });

/**
 * The terminal's size, for the layout. Made before Ink's render(): its 'resize' listener then
 * runs before Ink's, so the UI has laid out for the new size (a synchronous React update in
 * Ink's legacy root) by the time Ink redraws. Ink would otherwise redraw the old layout, as tall
 * as the old screen, into the smaller one first.
 */
export class TerminalSizeSource {
  private size: TerminalSize;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.size = read(stream);
    stream.on('resize', this.onResize);
  }

  private onResize = () => {
    const next = read(this.stream);
    if (next.columns === this.size.columns && next.rows === this.size.rows) return;
    this.size = next;
    for (const fn of this.listeners) fn();
  };

  get = (): TerminalSize => this.size;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  dispose(): void {
    this.stream.off('resize', this.onResize);
    this.listeners.clear();
  }
}

const SUBSCRIBE = new Set<PropertyKey>(['on', 'addListener', 'prependListener', 'once', 'prependOnceListener']);

/**
 * The stream Ink writes to: the terminal, with its height hidden and its resize events kept
 * from Ink. Ink 6.8 clears the whole terminal (scrollback too) and replays every <Static> row
 * at its old width whenever the last frame was as tall as the screen, which a shrinking window
 * makes it at once; after that clear it erases one row too many on the next frame (fixed in
 * Ink 7.1.1, ink#974), which took the row above the live region: the user's message. The TUI
 * keeps its live region below the real height itself (layoutLive), so Ink never needs that
 * path. And on a resize Ink would first redraw the old layout into the new size (one more
 * stale frame left in the scrollback); the UI re-renders for the new size itself
 * (TerminalSizeSource), and each render lays out at the terminal's width. `frames` sees every
 * write (FrameTracker: the erase after a reflowing resize or after fg).
 */
export function inkStream(stream: NodeJS.WriteStream, frames?: FrameTracker): NodeJS.WriteStream {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'rows') return Number.MAX_SAFE_INTEGER;
      if (prop === 'write' && frames)
        return (chunk: unknown, ...rest: unknown[]) => target.write(frames.filter(chunk) as string, ...(rest as []));
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (SUBSCRIBE.has(prop))
        return (event: unknown, ...rest: unknown[]) => (event === 'resize' ? target : fn.call(target, event, ...rest));
      return fn.bind(target);
    },
  });
}
