import { describe, expect, it } from 'vitest';
import { eraseLines, FrameTracker, reflowedRows, terminalReflows } from './frame.js';

const BSU = '\x1b[?2026h';
const frame = (...rows: string[]) => rows.join('\n') + '\n';

describe('FrameTracker', () => {
  it('after Ctrl+Z, drops the next erase of the old frame once (the shell printed where it was)', () => {
    const f = new FrameTracker(false);
    f.filter(frame('a', 'b'));
    f.filter(eraseLines(3)); // Ctrl+Z: Ink's clear()
    f.offScreen();
    expect(f.filter(BSU)).toBe(BSU);
    expect(f.filter(eraseLines(3))).toBe(''); // Ink's write path clears first: dropped
    expect(f.filter('')).toBe('');
    expect(f.filter(frame('a', 'b'))).toBe(frame('a', 'b'));
    expect(f.filter(eraseLines(3) + frame('a', 'c'))).toBe(eraseLines(3) + frame('a', 'c'));
  });

  it('after a shrink on a reflowing terminal, erases every row the rewrapped frame takes', () => {
    const f = new FrameTracker(true);
    const wide = 'x'.repeat(90);
    f.filter(`${eraseLines(1)}\x1b[36m${wide}\x1b[39m\nshort\n${'y'.repeat(100)}\n`);
    f.resized(50);
    // 90 → 2 rows, short → 1, 100 → 2, and the cursor's row.
    expect(f.filter(eraseLines(4) + frame('new'))).toBe(eraseLines(6) + frame('new'));
    // Once: the next frame is Ink's own count again.
    expect(f.filter(eraseLines(2) + frame('next'))).toBe(eraseLines(2) + frame('next'));
  });

  it('counts the frame drawn after Ink printed something above it (static rows), not those rows', () => {
    const f = new FrameTracker(true);
    f.filter(frame('z'.repeat(80)));
    f.filter(eraseLines(2)); // clear, then the static rows, then the frame
    f.filter(frame('s'.repeat(200), 's'.repeat(200)));
    f.filter(frame('p'.repeat(70), 'status'));
    f.resized(40);
    expect(f.filter(eraseLines(3) + frame('n'))).toBe(eraseLines(1 + 2 + 1) + frame('n'));
  });

  it('leaves the erase alone on a terminal that cuts lines instead', () => {
    const f = new FrameTracker(false);
    f.filter(frame('x'.repeat(90)));
    f.resized(50);
    expect(f.filter(eraseLines(2) + frame('n'))).toBe(eraseLines(2) + frame('n'));
  });

  it('counts wide characters as the terminal does', () => {
    expect(reflowedRows([20, 21, 0], 10)).toBe(1 + 2 + 3 + 1);
    const f = new FrameTracker(true);
    f.filter(frame('中'.repeat(30))); // 60 columns
    f.resized(25);
    expect(f.filter(eraseLines(2) + 'n\n')).toBe(eraseLines(1 + 3) + 'n\n');
  });
});

describe('terminalReflows', () => {
  it('knows the common terminals; screen and plain xterm cut; the variable decides', () => {
    expect(terminalReflows({ TMUX: '/tmp/tmux-0/default,1,0' })).toBe(true);
    expect(terminalReflows({ TERM_PROGRAM: 'iTerm.app' })).toBe(true);
    expect(terminalReflows({ VTE_VERSION: '7600' })).toBe(true);
    expect(terminalReflows({ STY: '1.pts-0', TERM: 'screen' })).toBe(false);
    expect(terminalReflows({ TERM: 'xterm', XTERM_VERSION: 'XTerm(390)' })).toBe(false);
    expect(terminalReflows({ TMUX: 'x', HERMES_TERMINAL_REFLOW: '0' })).toBe(false);
    expect(terminalReflows({ HERMES_TERMINAL_REFLOW: '1' })).toBe(true);
  });
});
