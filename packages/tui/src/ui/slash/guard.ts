import { commandFailedText, runInProgressText } from '../../format/slash.js';
import type { CommandContext } from './types.js';

type Ctx = Pick<CommandContext, 'store' | 'print'>;

/** True (and says so) while a run is active: the commands that change the history wait for its end. */
export function refusedWhileRunning(ctx: Ctx, command: string): boolean {
  if (!ctx.store.getSnapshot().transcript.activeRunId) return false;
  ctx.print('warn', runInProgressText(command));
  return true;
}

/** A command's call to the daemon; a failure is printed as `could not <verb>: <reason>` (undefined then). */
export async function attempt<T>(ctx: Ctx, verb: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    ctx.print('error', commandFailedText(verb, err));
    return undefined;
  }
}
