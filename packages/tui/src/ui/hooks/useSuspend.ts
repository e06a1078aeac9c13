import { useStdin, useStdout } from 'ink';
import { useCallback, useEffect } from 'react';

/** The live region around a suspend (see run.tsx): erase it, then draw the next frame fresh. */
export interface LiveControl {
  erase(): void;
  fresh(): void;
}

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Ctrl+Z as in any terminal program: raw mode hides the key from the terminal driver, so we
 * give the terminal back (cooked mode, no bracketed paste) and stop ourselves with SIGTSTP;
 * on `fg` (SIGCONT) raw mode and paste brackets return and `onResume` repaints.
 * `live.erase` takes the live region off the screen before we stop (the shell prints below it
 * meanwhile); on `fg` `live.fresh` has Ink's next frame drawn where the cursor is, without the
 * erase of its old frame (which would take the shell's lines), and Ink redraws at once (its
 * write path), as the frame itself has not changed.
 */
export function useSuspend(onResume: () => void, live?: LiveControl): () => void {
  const { setRawMode, isRawModeSupported } = useStdin();
  const { write } = useStdout();
  useEffect(() => {
    const resume = () => {
      if (isRawModeSupported) setRawMode(true);
      process.stdout.write(BRACKETED_PASTE_ON);
      if (live) {
        live.fresh();
        write('');
      }
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
