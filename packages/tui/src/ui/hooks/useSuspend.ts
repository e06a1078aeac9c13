import { useStdin, useStdout } from 'ink';
import { useCallback, useEffect } from 'react';

/** The live region around a suspend (see run.tsx): take it off the screen, Ink's next frame drawn fresh. */
export interface LiveControl {
  erase(): void;
}

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Ctrl+Z as in any terminal program: raw mode hides the key from the terminal driver, so we
 * give the terminal back (cooked mode, no bracketed paste) and stop ourselves with SIGTSTP;
 * on `fg` (SIGCONT) raw mode and paste brackets return and `onResume` repaints.
 * `live.erase` takes the live region off the screen before we stop (the shell prints below it
 * meanwhile) and has Ink's next frame drawn where the cursor is, without the erase of its old
 * frame (which would take the shell's lines); that may be a render left from the key itself,
 * which runs before our SIGCONT handler. On `fg` Ink redraws at once (its write path), as the
 * frame itself may not have changed.
 */
export function useSuspend(onResume: () => void, live?: LiveControl): () => void {
  const { setRawMode, isRawModeSupported } = useStdin();
  const { write } = useStdout();
  useEffect(() => {
    const resume = () => {
      if (isRawModeSupported) setRawMode(true);
      process.stdout.write(BRACKETED_PASTE_ON);
      if (live) write('');
      onResume();
    };
    process.on('SIGCONT', resume);
    return () => {
      process.off('SIGCONT', resume);
    };
  }, [setRawMode, isRawModeSupported, onResume, live, write]);
  return useCallback(() => {
    if (!isRawModeSupported || process.platform === 'win32') return;
    live?.erase();
    setRawMode(false);
    process.stdout.write(BRACKETED_PASTE_OFF);
    process.kill(process.pid, 'SIGTSTP');
  }, [setRawMode, isRawModeSupported, live]);
}
