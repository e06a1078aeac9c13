import type { RunContext } from './types.js';
import { streamModel } from '../provider/index.js';

/** A deterministic title from the first message, at once: its first line, trimmed to 48 characters. */
export function titleFromText(text: string): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? 'New session';
  return line.length > 48 ? `${line.slice(0, 47).trimEnd()}…` : line;
}

const TITLE_PROMPT =
  'Write a title of 3 to 7 words, in sentence case, for the conversation below. ' +
  'Reply with the title only: no quotes, no punctuation at the end.';

/**
 * After the first reply, when `agent.llmTitles` is on: one short call for a better title. It
 * replaces only the deterministic title (a title the user set is never overwritten) and never
 * fails the run.
 */
export async function maybeLlmTitle(ctx: RunContext, model: string, reply: string): Promise<void> {
  if (!ctx.config.agent?.llmTitles) return;
  const users = ctx.transcript.items.filter((i) => i.kind === 'user');
  if (users.length !== 1 || ctx.transcript.title !== titleFromText(users[0]!.text)) return;
  let text = '';
  try {
    const stream = streamModel(
      {
        model,
        messages: [
          { role: 'system', text: TITLE_PROMPT },
          { role: 'user', text: `User: ${users[0]!.text.slice(0, 1000)}\n\nAssistant: ${reply.slice(0, 1000)}` },
        ],
        tools: [],
        maxTokens: 30,
        signal: ctx.signal,
      },
      { config: { ...ctx.config, retry: { maxRetries: 0 } }, env: ctx.env },
    );
    for await (const ev of stream) if (ev.type === 'text') text += ev.text;
  } catch {
    return;
  }
  const title = text
    .replace(/\s+/g, ' ')
    .replace(/^["'\s]+|["'.\s]+$/g, '')
    .trim();
  if (!title || title.split(' ').length > 12) return;
  await ctx.emit({ type: 'session.updated', data: { title: title.slice(0, 80) } });
}
