import type { RewindMode } from '@hermes/protocol';
import { ApiError } from '../../client/errors.js';
import type { CommandContext } from './types.js';

type Ctx = Pick<CommandContext, 'store' | 'print' | 'setDraft'>;

/** The daemon's reason, or a plain one for 409 (a run is in progress, or the state moved on). */
const why = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

/** Rewinds to before a user message; the store prints what it did (every client sees the event). */
export async function rewindTo(ctx: Ctx, messageId: string, mode: RewindMode, verb = 'rewind'): Promise<void> {
  if (ctx.store.getSnapshot().transcript.activeRunId) {
    ctx.print('warn', `a run is in progress: /${verb} once it has ended (or Esc to cancel it)`);
    return;
  }
  try {
    const r = await ctx.store.rewind(messageId, mode);
    if (r.text !== undefined && mode !== 'code') ctx.setDraft(r.text);
  } catch (err) {
    ctx.print('error', `could not ${verb}: ${why(err)}`);
  }
}

/** A new session with the conversation before `atMessageId` (all of it without), and the screen follows it. */
export async function forkAt(ctx: Ctx, atMessageId: string | undefined): Promise<void> {
  try {
    const { session, text } = await ctx.store.client.fork(ctx.store.sessionId, atMessageId ? { atMessageId } : {});
    await ctx.store.switchTo(session.id);
    if (text !== undefined) ctx.setDraft(text);
  } catch (err) {
    ctx.print('error', `could not fork: ${why(err)}`);
  }
}
