import { stripVTControlCharacters } from 'node:util';
import { displayWidth } from '../../format/width.js';

/** Cursor moves and line erases at the start of a write: how Ink's log-update erases its last frame. */
const LEADING_ERASE = /^(?:\x1b\[\d*[A-G]|\x1b\[2K)+/;
/** Synchronized output on/off: Ink writes them apart from the frame. */
const SYNC = /^\x1b\[\?2026[hl]$/;

/** `n` rows up from the cursor's, the cursor's included, erased (as ansi-escapes' eraseLines). */
export function eraseLines(n: number): string {
  if (n <= 0) return '';
  return '\x1b[2K' + '\x1b[1A\x1b[2K'.repeat(n - 1) + '\x1b[G';
}

/**
 * How many rows a frame takes once a reflowing terminal has rewrapped it to `columns`: each
 * row as wide as `w` becomes ceil(w / columns) rows; plus the row the cursor is on.
 */
export function reflowedRows(widths: readonly number[], columns: number): number {
  return 1 + widths.reduce((n, w) => n + Math.max(1, Math.ceil(w / Math.max(1, columns))), 0);
}

/**
 * Whether the terminal rewraps its lines when its width changes (most do: tmux, iTerm2, VTE,
 * Konsole, kitty, WezTerm, Alacritty, Windows Terminal, VS Code's xterm.js). xterm and GNU
 * screen cut lines instead. `HERMES_TERMINAL_REFLOW=1|0` says it outright.
 */
export function terminalReflows(env: NodeJS.ProcessEnv = process.env): boolean {
  const said = env.HERMES_TERMINAL_REFLOW;
  if (said === '1' || said === '0') return said === '1';
  if (env.TMUX) return true;
  if (env.STY) return false;
  const program = env.TERM_PROGRAM ?? '';
  if (/^(iTerm\.app|Apple_Terminal|vscode|WezTerm|ghostty|Hyper|Tabby|WarpTerminal)$/.test(program)) return true;
  return Boolean(env.VTE_VERSION || env.KONSOLE_VERSION || env.KITTY_WINDOW_ID || env.WT_SESSION || env.ALACRITTY_WINDOW_ID);
}

/**
 * Watches what Ink writes to know the frame on screen (its rows' widths), and rewrites the erase
 * at the start of Ink's next frame when the screen changed under it:
 * - `offScreen()` (Ctrl+Z, after Ink's clear(), which still counts the frame as drawn): the
 *   shell prints below where it was ("[1]+ Stopped", "$ fg"); the next erase is dropped, so the
 *   frame is drawn where the cursor is instead of over the shell's lines.
 * - `resized(columns)` on a reflowing terminal: the old frame's rows were rewrapped to the new
 *   width, so it is taller than Ink counts; the erase covers all of it (Ink's would leave its
 *   top rows behind, a stale copy in the scrollback).
 */
export class FrameTracker {
  private widths: number[] = [];
  /** Writes to let by after Ink cleared its frame (log.clear()) before the frame comes: what it printed above. */
  private skip = 0;
  private pending: { kind: 'fresh' } | { kind: 'reflow'; columns: number } | null = null;

  constructor(private readonly reflows: boolean = terminalReflows()) {}

  offScreen(): void {
    this.pending = { kind: 'fresh' };
  }

  resized(columns: number): void {
    if (this.reflows && this.pending?.kind !== 'fresh') this.pending = { kind: 'reflow', columns };
  }

  private record(frame: string): void {
    const rows = stripVTControlCharacters(frame).split('\n');
    if (frame.endsWith('\n')) rows.pop();
    this.widths = rows.map((r) => displayWidth(r));
  }

  filter(chunk: unknown): unknown {
    if (typeof chunk !== 'string' || SYNC.test(chunk)) return chunk;
    if (chunk === '') {
      if (this.skip > 0) this.skip--;
      return chunk;
    }
    const erase = LEADING_ERASE.exec(chunk)?.[0];
    if (erase === undefined) {
      if (this.skip > 0) this.skip--;
      else this.record(chunk); // a frame drawn where nothing of Ink's was (first, or after a clear)
      return chunk;
    }
    const rest = chunk.slice(erase.length);
    const pending = this.pending;
    this.pending = null;
    const out =
      pending?.kind === 'fresh' ? rest : pending?.kind === 'reflow' ? eraseLines(reflowedRows(this.widths, pending.columns)) + rest : chunk;
    if (rest === '') {
      // Ink cleared its frame to print something above it; the frame comes after that.
      this.widths = [];
      this.skip = 1;
    } else {
      this.skip = 0;
      this.record(rest);
    }
    return out;
  }
}
