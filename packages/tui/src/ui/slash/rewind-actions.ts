import type { RewindMode } from '@hermes/protocol';
import { attempt, refusedWhileRunning } from './guard.js';
import type { CommandContext } from './types.js';

type Ctx = Pick<CommandContext, 'store' | 'print' | 'setDraft'>;

/** A message's text as a draft: one that begins with / is escaped as typed (//), or Enter would run it as a command. */
export const draftOf = (text: string) => (text.startsWith('/') ? `/${text}` : text);

/** Rewinds to before a user message; the store prints what it did (every client sees the event). */
export async function rewindTo(ctx: Ctx, messageId: string, mode: RewindMode, verb = 'rewind'): Promise<void> {
  if (refusedWhileRunning(ctx, verb)) return;
  const r = await attempt(ctx, verb, () => ctx.store.rewind(messageId, mode));
  if (!r) return;
  if (r.text !== undefined && mode !== 'code') ctx.setDraft(draftOf(r.text));
}

/** A new session with the conversation before `atMessageId` (all of it without), and the screen follows it. */
export async function forkAt(ctx: Ctx, atMessageId: string | undefined): Promise<void> {
  await attempt(ctx, 'fork', async () => {
    const { session, text } = await ctx.store.client.fork(ctx.store.sessionId, atMessageId ? { atMessageId } : {});
    await ctx.store.switchTo(session.id);
    if (text !== undefined) ctx.setDraft(draftOf(text));
  });
}
