/** What Ctrl+C does, in order: clear the draft, else cancel the run, else arm exit, else exit. */
export type CtrlCAction = 'clear' | 'cancel' | 'arm-exit' | 'exit';

export const EXIT_WINDOW_MS = 2000;

export function ctrlCAction(s: { draftEmpty: boolean; running: boolean; armedAt: number | null; now: number }): CtrlCAction {
  if (!s.draftEmpty) return 'clear';
  if (s.running) return 'cancel';
  if (s.armedAt !== null && s.now - s.armedAt <= EXIT_WINDOW_MS) return 'exit';
  return 'arm-exit';
}
