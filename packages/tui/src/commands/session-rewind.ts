import { RewindMode } from '@hermes/protocol';
import { forkCreatedLines, rewoundLine, unrewoundLine } from '../format/checkpoint.js';
import { connect, resolveSession, UsageError } from './common.js';
import { pickUserMessage } from './message-spec.js';
import { reportError } from './report-error.js';

const print = (json: boolean | undefined, value: unknown, text: string) =>
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);

/** `hermes sessions rewind ID [--to MESSAGE] [--mode both|conversation|code] [--force]`: exit 0 done (skipped paths on stderr too). */
export async function sessionsRewind(
  homeOpt: string | undefined,
  spec: string,
  opts: { to?: string; mode?: string; force?: boolean; json?: boolean },
): Promise<number> {
  try {
    const mode = RewindMode.safeParse(opts.mode ?? 'both');
    if (!mode.success) throw new UsageError(`--mode must be both, conversation or code (not "${opts.mode}")`);
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    const { transcript } = await client.getSession(id);
    const target = pickUserMessage(transcript.items, opts.to ?? '-1');
    const r = await client.rewind(id, { toMessageId: target.messageId, mode: mode.data, ...(opts.force ? { force: true } : {}) });
    print(opts.json, r, rewoundLine(r, target.text, `hermes sessions unrewind ${id} takes it back`));
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** `hermes sessions unrewind ID [--force]`: takes the latest rewind back (while no message was sent since). */
export async function sessionsUnrewind(
  homeOpt: string | undefined,
  spec: string,
  opts: { force?: boolean; json?: boolean },
): Promise<number> {
  try {
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    const { transcript } = await client.getSession(id);
    const last = (transcript.rewinds ?? []).findLast((r) => !r.unrewound);
    if (!last) throw new UsageError('nothing to unrewind in this session');
    const r = await client.unrewind(id, { rewindId: last.rewindId, ...(opts.force ? { force: true } : {}) });
    print(opts.json, r, unrewoundLine(r, last.hidden.filter((i) => i.kind === 'user').length));
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** `hermes sessions fork ID [--at MESSAGE] [--title TITLE]`: prints the new session's id (it works in the same workspace). */
export async function sessionsFork(
  homeOpt: string | undefined,
  spec: string,
  opts: { at?: string; title?: string; json?: boolean },
): Promise<number> {
  try {
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    let atMessageId: string | undefined;
    if (opts.at !== undefined) atMessageId = pickUserMessage((await client.getSession(id)).transcript.items, opts.at).messageId;
    const title = opts.title?.trim();
    const r = await client.fork(id, { ...(atMessageId ? { atMessageId } : {}), ...(title ? { title } : {}) });
    print(opts.json, r, forkCreatedLines(r.session, id));
    return 0;
  } catch (err) {
    return reportError(err);
  }
}
