import { randomUUID } from 'node:crypto';
import type { PostMessageResponse, SessionSummary } from '@hermes/protocol';
import { DaemonUnavailableError } from '../../client/errors.js';
import { connect, resolveContinue, resolveSession, UsageError } from '../common.js';
import type { SendOptions } from '../options.js';
import { reportError } from '../report-error.js';
import { composeMessage, InputTooLargeError, NoInputError } from './compose.js';
import { EXIT } from './follow.js';
import { checkOptions, readAttachments } from './options.js';
import { detachNote } from '../../format/delivery.js';
import { SendRun } from './run.js';
import { readStdin } from './stdin.js';

/** `hermes send`: one message, its run streamed to stdout, an exit code a script can trust. */
export async function sendCommand(homeOpt: string | undefined, textArgs: string[], opts: SendOptions): Promise<number> {
  let code: number;
  try {
    code = await send(homeOpt, textArgs, opts);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputTooLargeError || err instanceof NoInputError) {
      process.stderr.write(`hermes: ${err.message}\n`);
      code = EXIT.usage;
    } else {
      code = reportError(err);
    }
  }
  // A safety net for the exit: should any handle linger (a socket, the stdin pipe), it must
  // not keep a finished `send` alive. Unref'd, so a clean exit never waits for it.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}

const STDIN_NOTE = 'hermes: waiting for the piped input to end (--no-stdin sends without it)…';

async function send(homeOpt: string | undefined, textArgs: string[], opts: SendOptions): Promise<number> {
  const workspace = await checkOptions(opts);
  const text = textArgs.join(' ');
  const attachments = await readAttachments(opts.file ?? []);
  const piped = opts.stdin ? await readStdin(() => process.stderr.write(`${STDIN_NOTE}\n`)) : null;
  if (piped !== null) attachments.unshift({ label: 'stdin', content: piped });
  const message = composeMessage(text, attachments);

  const { home, client } = await connect(homeOpt);
  const existing = opts.continue || opts.session !== undefined;
  let session: SessionSummary;
  if (existing) {
    session = opts.continue ? await resolveContinue(client, workspace ?? process.cwd()) : await resolveSession(client, opts.session!);
    if (opts.title) process.stderr.write('hermes: --title applies to new sessions only; ignored (see `hermes sessions rename`)\n');
    if (workspace && workspace !== session.workspace && !opts.continue) {
      process.stderr.write(`hermes: --workspace applies to new sessions only; this one works in ${session.workspace}\n`);
    }
  } else {
    const created = await client.createSession({
      workspace: workspace ?? process.cwd(),
      ...(opts.title ? { title: opts.title } : {}),
      ...(opts.model ? { model: opts.model } : {}),
    });
    session = created.session;
  }

  const requestId = `send-${randomUUID()}`;
  const body = {
    text: message,
    requestId,
    ...(existing && opts.model ? { model: opts.model } : {}),
    ...(opts.instructions === false ? { instructions: false } : {}),
    ...(opts.steer ? { delivery: 'steer' as const } : opts.interrupt ? { delivery: 'interrupt' as const } : {}),
  };
  const post = async (): Promise<PostMessageResponse> => {
    try {
      return await client.postMessage(session.id, body);
    } catch (err) {
      // The same requestId makes a retry safe: the daemon answers it with the first message.
      if (!(err instanceof DaemonUnavailableError)) throw err;
      await new Promise((r) => setTimeout(r, 300));
      return client.postMessage(session.id, body);
    }
  };

  if (opts.detach) {
    const res = await post();
    process.stdout.write(`${session.id}\n`);
    const note = detachNote(res);
    if (note) process.stderr.write(`${note}\n`);
    return EXIT.ok;
  }
  return new SendRun(home, client, session, requestId, opts).run(post);
}
