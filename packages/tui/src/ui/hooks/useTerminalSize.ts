import { useStdout } from 'ink';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { TerminalSizeSource, type TerminalSize } from '../terminal/size.js';

/**
 * Columns and rows, updated at once on each resize (a burst costs one cheap layout per event;
 * Ink redraws on each anyway). `source`: the terminal's (see TerminalSizeSource); without one,
 * Ink's stdout.
 */
export function useTerminalSize(source?: TerminalSizeSource): TerminalSize {
  const { stdout } = useStdout();
  const own = useMemo(() => (source ? null : new TerminalSizeSource(stdout)), [source, stdout]);
  useEffect(() => () => own?.dispose(), [own]);
  const src = source ?? own!;
  return useSyncExternalStore(src.subscribe, src.get);
}
