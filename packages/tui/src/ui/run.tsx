import { render } from 'ink';
import { contentWidth } from './App.js';
import { Chat, INITIAL_REASONING } from './Chat.js';
import { scrollbackText } from './screen/scrollback-text.js';
import type { SessionStore } from './store/session-store.js';
import type { LiveControl } from './hooks/useSuspend.js';
import { FrameTracker } from './terminal/frame.js';
import { inkStream, TerminalSizeSource } from './terminal/size.js';

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Runs the TUI until the user leaves. Bracketed paste is switched on for the duration and off
 * again however we exit (a crash included), so the shell is not left pasting markers.
 */
export async function runTui(store: SessionStore, home: string): Promise<void> {
  const restore = () => process.stdout.write(BRACKETED_PASTE_OFF);
  process.stdout.write(BRACKETED_PASTE_ON);
  process.once('exit', restore);
  // Before render(): its resize listener must run before Ink's.
  const terminal = new TerminalSizeSource(process.stdout);
  // The session's history so far goes straight to the terminal, not through <Static> (the same
  // rows: see scrollback-text); Ink then lays out only the live region and what comes next.
  const history = store.getSnapshot().staticEntries;
  process.stdout.write(scrollbackText(history, contentWidth(terminal.get().columns), INITIAL_REASONING));
  // What Ink draws, to fix its erase after a reflowing resize or fg (see FrameTracker); before
  // the UI's own resize listener, so it knows of a resize before that frame is drawn.
  const frames = new FrameTracker();
  terminal.subscribe(() => frames.resized(terminal.get().columns));
  // Ctrl+Z (useSuspend): Ink's clear() erases the live region; the instance exists once render() returns.
  let erase = () => {};
  const live: LiveControl = { erase: () => erase() };
  const instance = render(<Chat store={store} home={home} terminal={terminal} printed={history.length} live={live} />, {
    stdout: inkStream(process.stdout, frames),
    exitOnCtrlC: false,
    patchConsole: false,
    maxFps: 30,
    // Ink 6.8's incremental log-update moves the cursor up one row too few when the frame ends
    // in a newline (which it always does below full height): every changed frame lands one
    // row lower and the status line repeats down the screen. The standard renderer erases and
    // rewrites the (small, clamped) live region inside a synchronized-output frame instead.
    incrementalRendering: false,
  });
  erase = () => {
    instance.clear();
    frames.offScreen();
  };
  // SIGTERM/SIGHUP: leave cleanly (the run goes on in the daemon).
  const leave = () => instance.unmount();
  process.once('SIGTERM', leave);
  process.once('SIGHUP', leave);
  try {
    await instance.waitUntilExit();
  } finally {
    process.off('SIGTERM', leave);
    process.off('SIGHUP', leave);
    store.stop();
    terminal.dispose();
    restore();
    process.off('exit', restore);
  }
}
