import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ModelName, type ApprovalDecision, type EventOf, type HermesEvent, type PostMessageResponse, type SessionSummary } from '@hermes/protocol';
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk';
import { DaemonClient } from '../client/api.js';
import { ensureDaemon } from '../client/autostart.js';
import { ApiError, DaemonUnavailableError } from '../client/errors.js';
import { SessionEventStream, type StreamStatus } from '../client/event-stream.js';
import { choicesLabel, TtyPrompt } from '../send/approval-prompt.js';
import { composeMessage, InputTooLargeError, MAX_SEND_BYTES, NoInputError, tooLarge, type Attachment } from '../send/compose.js';
import { EXIT, exitCodeOf, RunFollower, type RunOutcome } from '../send/follow.js';
import {
  approvalRequestedLines,
  approvalResolvedLine,
  noticeLine,
  runErrorLines,
  toolCompletedLine,
  toolStartedLine,
} from '../send/render.js';
import { readStdin } from '../send/stdin.js';
import { connect, resolveSession } from './common.js';
import type { SendOptions } from './options.js';
import { reportError } from './report-error.js';

/** Give up on a daemon that stays unreachable this long in the middle of a run (exit 4). */
const LOST_DAEMON_MS = 30_000;

class UsageError extends Error {}

/** After a `^C` echoed on a terminal, start on a fresh line. */
const nl = () => (process.stderr.isTTY ? '\n' : '');

const colorOn = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;

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

async function readAttachments(files: string[]): Promise<Attachment[]> {
  const out: Attachment[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new UsageError(`--file ${file}: not a regular file`);
      if (st.size > MAX_SEND_BYTES) throw new InputTooLargeError(`--file ${file}: ${tooLarge(st.size)}`);
      buf = await readFile(file);
    } catch (err) {
      if (err instanceof UsageError || err instanceof InputTooLargeError) throw err;
      throw new UsageError(`--file ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
    }
    if (buf.includes(0)) throw new UsageError(`--file ${file}: looks like a binary file; only text can be sent`);
    out.push({ label: file, content: buf.toString('utf8') });
  }
  return out;
}

async function checkOptions(opts: SendOptions): Promise<string | undefined> {
  if (opts.continue && opts.session) throw new UsageError('give either --continue or --session, not both');
  if (opts.json && opts.quiet) throw new UsageError('give either --json or --quiet, not both');
  if (opts.detach && (opts.json || opts.quiet)) throw new UsageError('--detach prints only the session id; drop --json/--quiet');
  if (opts.model !== undefined) {
    const m = ModelName.safeParse(opts.model);
    if (!m.success) throw new UsageError(`--model ${opts.model}: ${m.error.issues[0]?.message ?? 'invalid'}`);
  }
  if (opts.approvalTimeout !== undefined && opts.approvalTimeout <= 0) throw new UsageError('--approval-timeout must be at least 1 second');
  if (opts.workspace === undefined) return undefined;
  const dir = path.resolve(opts.workspace);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new UsageError(`--workspace ${opts.workspace}: not a folder`);
  return dir;
}

async function send(homeOpt: string | undefined, textArgs: string[], opts: SendOptions): Promise<number> {
  const workspace = await checkOptions(opts);
  const text = textArgs.join(' ');
  const attachments = await readAttachments(opts.file ?? []);
  const piped = opts.stdin ? await readStdin(text.trim().length > 0) : null;
  if (piped !== null) attachments.unshift({ label: 'stdin', content: piped });
  const message = composeMessage(text, attachments);

  const { home, client } = await connect(homeOpt);
  const existing = opts.continue || opts.session !== undefined;
  let session: SessionSummary;
  if (existing) {
    session = await resolveSession(client, opts.continue ? 'latest' : opts.session!);
    if (opts.title) process.stderr.write('hermes: --title applies to new sessions only; ignored (see `hermes sessions rename`)\n');
    if (workspace && workspace !== session.workspace) {
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
  const body = { text: message, requestId, ...(existing && opts.model ? { model: opts.model } : {}) };
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
    if (res.queued) process.stderr.write('hermes: queued behind the run in progress\n');
    return EXIT.ok;
  }
  return new SendRun(home, client, session, requestId, opts).run(post);
}

/** One `send` from the POST to the run's end: the stream, the rendering, approvals and Ctrl-C. */
class SendRun {
  private readonly follower: RunFollower;
  private readonly err: ChalkInstance;
  private readonly toolNames = new Map<string, string>();
  private stream: SessionEventStream | null = null;
  private prompt: TtyPrompt | null | undefined;
  private promptQueue: EventOf<'approval.requested'>[] = [];
  private prompting: string | null = null;
  private readonly approvalTimers = new Map<string, NodeJS.Timeout>();
  private interrupts = 0;
  private stopSent = false;
  /** The daemon refused to withdraw the message (its run had started): cancel that run instead. */
  private withdrawRefused = false;
  private queuedNoted = false;
  private stdoutAtLineStart = true;
  private stdoutBroken = false;
  private currentMessage: string | null = null;
  private wroteText = false;
  private lostTimer: NodeJS.Timeout | undefined;
  private settle!: (r: { outcome: RunOutcome } | { code: number } | { error: unknown }) => void;

  constructor(
    private readonly home: string,
    private readonly client: DaemonClient,
    private readonly session: SessionSummary,
    requestId: string,
    private readonly opts: SendOptions,
  ) {
    this.follower = new RunFollower(requestId);
    this.err = new Chalk({ level: colorOn(process.stderr) ? (supportsColorStderr ? supportsColorStderr.level : 1) : 0 });
  }

  async run(post: () => Promise<PostMessageResponse>): Promise<number> {
    const finished = new Promise<{ outcome: RunOutcome } | { code: number } | { error: unknown }>((resolve) => (this.settle = resolve));
    const onSigint = () => this.interrupt();
    process.on('SIGINT', onSigint);
    process.stdout.on('error', this.onStdoutError);
    // Open the stream at the session's current end before posting: nothing of the run is missed.
    this.stream = new SessionEventStream(
      this.client,
      this.session.id,
      {
        onEvent: (e) => this.onEvent(e),
        onStatus: (s, detail) => this.onStatus(s, detail),
        onGone: (detail) => this.settle({ error: new Error(detail) }),
      },
      { after: this.session.lastSeq, reconnect: async () => new DaemonClient(await ensureDaemon(this.home)) },
    );
    try {
      post().then(
        (res) => {
          this.follower.accepted(res);
          if (this.follower.queued) this.noteQueued();
          this.maybeStop();
        },
        (error: unknown) => this.settle({ error }),
      );
      const result = await finished;
      if ('error' in result) throw result.error;
      if ('code' in result) return result.code;
      return this.finish(result.outcome);
    } finally {
      process.off('SIGINT', onSigint);
      this.cleanup();
    }
  }

  private cleanup(): void {
    clearTimeout(this.lostTimer);
    for (const t of this.approvalTimers.values()) clearTimeout(t);
    this.approvalTimers.clear();
    this.stream?.close();
    this.prompt?.close();
    this.prompt = null;
  }

  private onStdoutError = (err: NodeJS.ErrnoException) => {
    // The reader went away (`| head`): stop writing, let the run finish for the exit code.
    if (err.code === 'EPIPE') this.stdoutBroken = true;
  };

  private out(text: string): void {
    if (this.stdoutBroken || text.length === 0) return;
    process.stdout.write(text);
    this.stdoutAtLineStart = text.endsWith('\n');
  }

  /** One human line on stderr; on a shared terminal, first end the reply's current line. */
  private line(text: string): void {
    if (!this.stdoutAtLineStart && process.stdout.isTTY && process.stderr.isTTY) this.out('\n');
    process.stderr.write(`${text}\n`);
  }

  private get human(): boolean {
    return !this.opts.json && !this.opts.quiet;
  }

  private onStatus(status: StreamStatus, detail?: string): void {
    if (status === 'live') {
      clearTimeout(this.lostTimer);
      this.lostTimer = undefined;
    } else if (status === 'reconnecting' && !this.lostTimer) {
      if (this.human) this.line(this.err.dim(`hermes: lost the daemon (${detail ?? 'connection closed'}); reconnecting…`));
      this.lostTimer = setTimeout(() => {
        this.settle({ error: new DaemonUnavailableError(`lost the connection to the hermes daemon for ${LOST_DAEMON_MS / 1000} s`, `the run may still be going: hermes attach ${this.session.id}`) });
      }, LOST_DAEMON_MS);
    }
  }

  private onEvent(e: HermesEvent): void {
    if (!this.follower.take(e)) return;
    if (this.opts.json) this.out(`${JSON.stringify(e)}\n`);
    else this.render(e);
    switch (e.type) {
      case 'message.queued':
        this.noteQueued();
        break;
      case 'run.started':
        this.maybeStop();
        break;
      case 'approval.requested':
        this.onApprovalRequested(e);
        break;
      case 'approval.resolved':
        this.onApprovalResolved(e);
        break;
      default:
        break;
    }
    if (this.follower.outcome) this.settle({ outcome: this.follower.outcome });
  }

  private render(e: HermesEvent): void {
    const quiet = this.opts.quiet ?? false;
    switch (e.type) {
      case 'message.delta':
        if (quiet || e.data.text.length === 0) return;
        if (this.currentMessage !== e.data.messageId) {
          // A new assistant message after tool calls: a blank line between replies.
          if (this.wroteText) this.out(this.stdoutAtLineStart ? '\n' : '\n\n');
          this.currentMessage = e.data.messageId;
        }
        this.out(e.data.text);
        this.wroteText = true;
        return;
      case 'tool.started':
        this.toolNames.set(e.data.toolCallId, e.data.name);
        if (!quiet) this.line(toolStartedLine(this.err, e));
        return;
      case 'tool.completed':
        if (!quiet) this.line(toolCompletedLine(this.err, this.toolNames.get(e.data.toolCallId) ?? 'tool', e));
        return;
      case 'notice':
        if (!quiet || e.data.level !== 'info') this.line(noticeLine(this.err, e));
        return;
      default:
        return;
    }
  }

  private noteQueued(): void {
    if (this.queuedNoted) return;
    this.queuedNoted = true;
    this.line(this.err.dim('hermes: another run is in progress in this session; your message is queued and will run next (Ctrl-C withdraws it)…'));
  }

  // ── approvals ──────────────────────────────────────────────────────────────
  private onApprovalRequested(e: EventOf<'approval.requested'>): void {
    for (const l of approvalRequestedLines(this.err, e)) this.line(l);
    const mode = this.opts.approve;
    if (mode === 'yes') return void this.answer(e.data.approvalId, 'once');
    if (mode === 'deny') return void this.answer(e.data.approvalId, 'deny', '--approve deny');
    const timeout = this.opts.approvalTimeout;
    if (timeout !== undefined) {
      this.approvalTimers.set(
        e.data.approvalId,
        setTimeout(() => void this.answer(e.data.approvalId, 'deny', `no answer within ${timeout} s`), timeout * 1000),
      );
    }
    if (this.prompt === undefined) this.prompt = TtyPrompt.open();
    if (!this.prompt) {
      const after = timeout !== undefined ? ` (denied in ${timeout} s without an answer)` : '';
      this.line(`  waiting for another client to answer: hermes attach ${this.session.id}${after}`);
      return;
    }
    this.promptQueue.push(e);
    void this.pumpPrompts();
  }

  private async pumpPrompts(): Promise<void> {
    if (this.prompting || !this.prompt) return;
    const next = this.promptQueue.shift();
    if (!next) return;
    const prompt = this.prompt;
    this.prompting = next.data.approvalId;
    // When stderr is not the terminal, the summary above did not reach the person answering.
    if (!process.stderr.isTTY) prompt.write(`${approvalRequestedLines(new Chalk({ level: 0 }), next).join('\n')}\n`);
    const decision = await prompt.ask(`  allow? ${choicesLabel(next.data.choices)} › `, next.data.choices, () => this.interrupt());
    this.prompting = null;
    if (decision) await this.answer(next.data.approvalId, decision);
    void this.pumpPrompts();
  }

  private async answer(approvalId: string, decision: ApprovalDecision, reason?: string): Promise<void> {
    clearTimeout(this.approvalTimers.get(approvalId));
    this.approvalTimers.delete(approvalId);
    try {
      await this.client.answerApproval(this.session.id, approvalId, { decision, by: 'send', ...(reason ? { reason } : {}) });
    } catch (err) {
      // 409/404: another client answered first (or the run ended); its approval.resolved tells.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return;
      this.line(`hermes: could not answer the approval: ${(err as Error).message}`);
    }
  }

  private onApprovalResolved(e: EventOf<'approval.resolved'>): void {
    const id = e.data.approvalId;
    clearTimeout(this.approvalTimers.get(id));
    this.approvalTimers.delete(id);
    this.promptQueue = this.promptQueue.filter((q) => q.data.approvalId !== id);
    if (this.prompting === id) this.prompt?.cancel();
    this.line(approvalResolvedLine(this.err, e));
  }

  // ── Ctrl-C ─────────────────────────────────────────────────────────────────
  private interrupt(): void {
    this.interrupts++;
    if (this.interrupts >= 2) {
      this.cleanup();
      process.stderr.write('\n');
      process.exit(EXIT.interrupted);
    }
    const queued = this.follower.queued && !this.follower.runId;
    this.line(`${nl()}${this.err.yellow(`${queued ? 'withdrawing the queued message' : 'cancelling'}… (Ctrl-C again to quit at once)`)}`);
    this.maybeStop();
  }

  /**
   * After a Ctrl-C, stops what is known: the run once it has started (the POST may still be on
   * its way at the first Ctrl-C), or the message while it waits in the queue. The daemon's
   * events (run.completed, message.dequeued) then end the command.
   */
  private maybeStop(): void {
    if (this.interrupts === 0 || this.stopSent) return;
    const { runId, messageId, queued } = this.follower;
    if (runId) {
      this.stopSent = true;
      this.client.cancel(this.session.id).catch((err: unknown) => {
        this.line(`hermes: could not cancel: ${(err as Error).message}`);
        this.settle({ code: EXIT.interrupted });
      });
    } else if (queued && messageId && !this.withdrawRefused) {
      this.stopSent = true;
      this.client.withdrawMessage(this.session.id, messageId, 'send').catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 409) {
          // Its run started meanwhile: cancel that instead (now, or when run.started arrives).
          this.withdrawRefused = true;
          this.stopSent = false;
          this.maybeStop();
          return;
        }
        this.line(`hermes: could not withdraw the message: ${(err as Error).message}`);
        this.settle({ code: EXIT.interrupted });
      });
    }
  }

  // ── the end ────────────────────────────────────────────────────────────────
  private finish(outcome: RunOutcome): number {
    if (this.opts.quiet && outcome.finalText.trim()) this.out(outcome.finalText.replace(/\s*$/, '\n'));
    if (!this.stdoutAtLineStart) this.out('\n');
    const code = exitCodeOf(outcome, this.interrupts > 0);
    switch (outcome.stopReason) {
      case 'done':
        break;
      case 'cancelled':
        if (outcome.withdrawnBy === 'send' && this.interrupts > 0) this.line('hermes: withdrew the queued message; it will not run');
        else if (outcome.withdrawnBy) this.line(`hermes: the queued message was withdrawn (by ${outcome.withdrawnBy}); it will not run`);
        else this.line(this.interrupts > 0 ? 'hermes: cancelled' : 'hermes: the run was cancelled (by another client)');
        break;
      case 'max_iterations':
        for (const l of runErrorLines(outcome.error, 'stopped: the run reached its iteration limit (agent.maxIterations)')) this.line(l);
        break;
      case 'error':
      case 'interrupted':
        for (const l of runErrorLines(outcome.error, `the run ended: ${outcome.stopReason}`)) this.line(l);
        break;
    }
    if (code === EXIT.denied) this.line('hermes: an approval was denied; the work may be incomplete (exit 3)');
    this.line(this.err.dim(`session ${this.session.id}  (continue: hermes send -s ${this.session.id} …)`));
    return code;
  }
}
