import { randomUUID } from 'node:crypto';
import type { SessionSummary } from '@hermes/protocol';
import { DaemonClient } from '../client/api.js';
import { ensureDaemon } from '../client/autostart.js';
import { noModelNotice } from '../format/model.js';
import {
  checkModel,
  checkWorkspace,
  connect,
  continuedElsewhereLine,
  matchSession,
  pickContinue,
  SessionNotFoundError,
  UsageError,
  type Connection,
} from './common.js';
import type { ChatOptions } from './options.js';
import { reportError } from './report-error.js';
import { holdTypeahead, type Typeahead } from './typeahead.js';

const NO_TTY = 'hermes chat needs a terminal; for scripts use: hermes send "…"\n';
/** After this long without the daemon, reconnecting starts a new one instead of waiting. */
const AUTOSTART_AFTER_MS = 5000;

function hasTty(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/**
 * How the stream finds the daemon again after it went away: the same daemon.json (a restarted
 * daemon has a new port and token). A daemon that stays down is started again after a while.
 */
function reconnector(home: string): () => Promise<DaemonClient> {
  let downSince: number | null = null;
  return async () => {
    downSince ??= Date.now();
    const autoStart = Date.now() - downSince > AUTOSTART_AFTER_MS;
    const state = await ensureDaemon(home, { autoStart });
    downSince = null;
    return new DaemonClient(state);
  };
}

async function runSession(
  conn: Connection,
  session: SessionSummary,
  command: 'chat' | 'attach',
  firstMessage = '',
  instructions = true,
  typeahead?: Typeahead,
): Promise<number> {
  const { importInkUi } = await import('../ui/load-ink.js');
  const { SessionStore } = await import('../ui/store/session-store.js');
  const { runTui } = await importInkUi(() => import('../ui/run.js'));
  // Named by command, so the other terminal's "by …" says which one answered.
  const store = new SessionStore({
    client: conn.client,
    sessionId: session.id,
    reconnect: reconnector(conn.home),
    clientName: `tui (${command})`,
    ...(instructions ? {} : { instructions: false }),
  });
  if (firstMessage.trim()) {
    // `hermes "fix the bug"`: the message goes first; the TUI then shows it and its run.
    await conn.client.postMessage(session.id, {
      text: firstMessage.trim(),
      requestId: `chat-${randomUUID()}`,
      ...(instructions ? {} : { instructions: false }),
    });
  }
  await store.start();
  if (command === 'chat' && !session.model) {
    // Nothing configured: say so on the first screen, not after the first message fails.
    void conn.client.listModels().then(
      (listing) => {
        const notice = noModelNotice(listing, conn.home);
        if (notice) store.print('warn', notice);
      },
      () => undefined,
    );
  }
  typeahead?.release();
  await runTui(store, conn.home);
  // The user may have switched sessions inside (/new, /sessions): point at the last one.
  process.stdout.write(`Resume this session with: hermes chat --session ${store.sessionId}\n`);
  return 0;
}

export async function chatCommand(home: string | undefined, opts: ChatOptions, message = ''): Promise<number> {
  let typeahead: Typeahead | undefined;
  try {
    // The same checks as send, before anything else: `chat -m bad` is a usage error (exit 2).
    if (opts.session && opts.continue) throw new UsageError('give either --continue or --session, not both');
    checkModel(opts.model);
    const workspace = await checkWorkspace(opts.workspace);
    if (!hasTty()) {
      process.stderr.write(NO_TTY);
      return 2;
    }
    typeahead = holdTypeahead();
    const conn = await connect(home);
    let session: SessionSummary;
    if (opts.session || opts.continue) {
      const { sessions } = await conn.client.listSessions();
      if (opts.continue) {
        const here = workspace ?? process.cwd();
        const picked = pickContinue(sessions, here);
        if (picked.elsewhere) process.stderr.write(`${continuedElsewhereLine(picked.session, here)}\n`);
        session = picked.session;
      } else {
        session = matchSession(sessions, opts.session!);
        if (workspace && workspace !== session.workspace) {
          process.stderr.write(`hermes: --workspace applies to new sessions only; this one works in ${session.workspace}\n`);
        }
      }
      if (opts.model && opts.model !== session.model) {
        session = (await conn.client.patchSession(session.id, { model: opts.model })).session;
      }
    } else {
      session = (await conn.client.createSession({ workspace: workspace ?? process.cwd(), ...(opts.model ? { model: opts.model } : {}) }))
        .session;
    }
    return await runSession(conn, session, 'chat', message, opts.instructions !== false, typeahead);
  } catch (err) {
    typeahead?.stop();
    return reportError(err);
  }
}

/** The session attach opens by default: the most recently updated one that is busy. */
export function pickAttachTarget(sessions: SessionSummary[]): SessionSummary {
  const busy = sessions.filter((s) => s.status !== 'idle').sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1));
  if (busy[0]) return busy[0];
  throw new SessionNotFoundError(
    'no session is running right now; name one: hermes attach <session> (see `hermes sessions list`), or resume one with `hermes chat -c`',
  );
}

export async function attachCommand(home: string | undefined, sessionSpec: string | undefined): Promise<number> {
  if (!hasTty()) {
    process.stderr.write(NO_TTY.replace('hermes chat', 'hermes attach'));
    return 2;
  }
  const typeahead = holdTypeahead();
  try {
    const conn = await connect(home);
    const { sessions } = await conn.client.listSessions();
    const session = sessionSpec ? matchSession(sessions, sessionSpec) : pickAttachTarget(sessions);
    return await runSession(conn, session, 'attach', '', true, typeahead);
  } catch (err) {
    typeahead.stop();
    return reportError(err);
  }
}
