import { useStdin } from 'ink';
import { useCallback, useEffect } from 'react';

const BRACKETED_PASTE_ON = '\x1b[?2004h';
const BRACKETED_PASTE_OFF = '\x1b[?2004l';

/**
 * Ctrl+Z as in any terminal program: raw mode hides the key from the terminal driver, so we
 * give the terminal back (cooked mode, no bracketed paste) and stop ourselves with SIGTSTP;
 * on `fg` (SIGCONT) raw mode and paste brackets return and `onResume` repaints.
 */
export function useSuspend(onResume: () => void): () => void {
  const { setRawMode, isRawModeSupported } = useStdin();
  useEffect(() => {
    const resume = () => {
      if (isRawModeSupported) setRawMode(true);
      process.stdout.write(BRACKETED_PASTE_ON);
      onResume();
    };
    process.on('SIGCONT', resume);
    return () => {
      process.off('SIGCONT', resume);
    };
  }, [setRawMode, isRawModeSupported, onResume]);
  return useCallback(() => {
    if (!isRawModeSupported || process.platform === 'win32') return;
    setRawMode(false);
    process.stdout.write(BRACKETED_PASTE_OFF);
    process.kill(process.pid, 'SIGTSTP');
  }, [setRawMode, isRawModeSupported]);
}
