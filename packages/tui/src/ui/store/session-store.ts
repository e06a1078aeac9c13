import {
  emptyTranscript,
  fold,
  type ApprovalDecision,
  type ClarifyAnswers,
  type Delivery,
  type HermesEvent,
  type NoticeLevel,
  type PostMessageResponse,
  type Transcript,
} from '@hermes/protocol';
import { randomUUID } from 'node:crypto';
import type { DaemonClient } from '../../client/api.js';
import { ApiError } from '../../client/errors.js';
import { SessionEventStream, type StreamStatus } from '../../client/event-stream.js';
import { assistantLines } from '../views/messages/assistant.js';
import { advanceCommit, initialCommit, type CommitState, type StaticEntry } from './scrollback.js';
import { forkedFromLine } from '../../format/checkpoint.js';
import { commitAcrossRewind, isRewindEvent, rewindNotice } from './rewind-commit.js';

/** Events are folded in batches: one React update per ~16 ms however fast the stream is. */
export const BATCH_MS = 16;
/** On open, a long history prints only its tail into the scrollback. */
export const HISTORY_TAIL_ITEMS = 300;

export interface SessionSnapshot {
  sessionId: string;
  transcript: Transcript;
  loaded: boolean;
  connection: StreamStatus;
  connectionDetail?: string;
  /** Everything printed into the scrollback, in order (append-only across session switches). */
  staticEntries: StaticEntry[];
  commit: CommitState;
  /** When the last event came (ms since epoch): how long a run has waited for the model. */
  lastEventAt?: number;
  /** The model the session runs on when it has none of its own (the daemon's config); undefined: not known. */
  defaultModel?: string | null;
}

export interface SessionStoreOptions {
  client: DaemonClient;
  sessionId: string;
  /** Gets a client for the daemon again (it may have restarted on a new port with a new token). */
  reconnect?: () => Promise<DaemonClient>;
  batchMs?: number;
  /** Who this client is in `approval.resolved.by` and `message.dequeued.by` (default `tui`). */
  clientName?: string;
  /** `false` (`--no-instructions`): the runs of messages sent from here read no instruction files. */
  instructions?: boolean;
}

/**
 * The session as the UI sees it, outside React: the event stream, batched and folded through
 * the protocol's reducer, plus what has been committed to the scrollback. React reads it with
 * useSyncExternalStore.
 */
export class SessionStore {
  private snap: SessionSnapshot;
  private listeners = new Set<() => void>();
  private stream: SessionEventStream | null = null;
  private pending: HermesEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private generation = 0;
  private localCount = 0;
  /** Prefix of Static keys: new on every load and resync, so keys never repeat. */
  private epoch = 0;
  /** The screen's rows of a reply's text, once the UI has said how wide it is (see setWidth). */
  private rows: ((text: string) => string[]) | undefined;
  client: DaemonClient;

  constructor(private readonly opts: SessionStoreOptions) {
    this.client = opts.client;
    this.snap = this.freshSnapshot(opts.sessionId, []);
  }

  private freshSnapshot(sessionId: string, staticEntries: StaticEntry[]): SessionSnapshot {
    return {
      sessionId,
      transcript: emptyTranscript(sessionId),
      loaded: false,
      connection: 'connecting',
      staticEntries,
      commit: initialCommit,
    };
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): SessionSnapshot => this.snap;

  get sessionId(): string {
    return this.snap.sessionId;
  }

  private set(next: Partial<SessionSnapshot>): void {
    this.snap = { ...this.snap, ...next };
    for (const fn of this.listeners) fn();
  }

  /** Loads the transcript, then streams from its last seq. */
  async start(): Promise<void> {
    const gen = ++this.generation;
    const id = this.snap.sessionId;
    const res = await this.client.getSession(id);
    if (gen !== this.generation) return;
    const transcript = res.transcript;
    let commit: CommitState = initialCommit;
    const entries = [...this.snap.staticEntries];
    if (transcript.forkedFrom) entries.push(this.localEntry('info', forkedFromLine(transcript.forkedFrom, transcript.workspace)));
    if (transcript.items.length > HISTORY_TAIL_ITEMS) {
      const skipped = transcript.items.length - HISTORY_TAIL_ITEMS;
      commit = { itemIndex: skipped, offset: 0, join: false };
      entries.push(this.localEntry('plain', `… ${skipped} earlier items (see them with: hermes sessions show ${id})`));
    }
    this.epoch++;
    const advanced = advanceCommit(transcript, commit, `${this.epoch}`);
    this.set({
      transcript,
      loaded: true,
      commit: advanced.state,
      staticEntries: [...entries, ...advanced.entries],
      ...(res.defaultModel !== undefined ? { defaultModel: res.defaultModel } : {}),
    });
    this.stream = new SessionEventStream(
      this.client,
      id,
      {
        onEvent: (e) => this.enqueue(gen, e),
        onResync: () => this.resync(gen),
        onStatus: (status, detail) => this.onStatus(gen, status, detail),
      },
      {
        after: res.lastSeq,
        reconnect: this.opts.reconnect
          ? async () => {
              this.client = await this.opts.reconnect!();
              return this.client;
            }
          : undefined,
      },
    );
  }

  private onStatus(gen: number, status: StreamStatus, detail?: string): void {
    if (gen !== this.generation) return;
    if (status === this.snap.connection && detail === this.snap.connectionDetail) return;
    this.set({ connection: status, connectionDetail: detail });
  }

  private enqueue(gen: number, e: HermesEvent): void {
    if (gen !== this.generation) return;
    // A run of a session without its own model says which model the config gives it now.
    if (e.type === 'run.started' && e.data.model && !this.snap.transcript.model) this.snap = { ...this.snap, defaultModel: e.data.model };
    this.snap = { ...this.snap, lastEventAt: Date.parse(e.ts) || Date.now() };
    this.pending.push(e);
    this.timer ??= setTimeout(() => this.flush(), this.opts.batchMs ?? BATCH_MS);
  }

  /** Folds the pending events (exposed for tests; normally on a timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    let transcript = this.snap.transcript;
    let commit = this.snap.commit;
    const added: StaticEntry[] = [];
    // A rewind or unrewind moves items: what was committed before it is settled first, the
    // commit follows the items across it, and a line says what it did.
    let from = 0;
    for (let i = 0; i <= events.length; i++) {
      const e = events[i];
      if (e && !isRewindEvent(e)) continue;
      transcript = fold(transcript, events.slice(from, i));
      from = i + 1;
      const advanced = advanceCommit(transcript, commit, `${this.epoch}`, this.rows);
      added.push(...advanced.entries);
      commit = advanced.state;
      if (!e) break;
      const before = transcript;
      transcript = fold(transcript, [e]);
      commit = commitAcrossRewind(before, transcript, e, commit);
      this.epoch++;
      added.push(this.localEntry(...rewindNotice(before, transcript, e, events.slice(i + 1))));
    }
    this.set({
      transcript,
      commit,
      staticEntries: added.length ? [...this.snap.staticEntries, ...added] : this.snap.staticEntries,
    });
  }

  private resync(gen: number): void {
    if (gen !== this.generation) return;
    // The daemon's log is not the one we followed: events restart from seq 1. What is already
    // in the scrollback stays there; a line marks where the reloaded history begins.
    this.pending = [];
    this.epoch++;
    this.set({
      transcript: emptyTranscript(this.snap.sessionId),
      commit: initialCommit,
      staticEntries: [...this.snap.staticEntries, this.localEntry('warn', 'the session log changed; history reloaded')],
    });
  }

  localEntry(level: NoticeLevel | 'plain', text: string): StaticEntry {
    return { key: `local:${++this.localCount}`, kind: 'local', level, text };
  }

  /** Prints a line into the scrollback that is this client's own (help, errors, usage). */
  print(level: NoticeLevel | 'plain', text: string): void {
    this.set({ staticEntries: [...this.snap.staticEntries, this.localEntry(level, text)] });
  }

  /** The width replies are laid out at: rows of a long streaming paragraph can then be committed. */
  setWidth(width: number): void {
    this.rows = (text) => assistantLines({ text, mode: 'hidden', width }).map((l) => l.map((s) => s.text).join(''));
  }

  /** Prints the latest tool call again with all its output (Ctrl+O); false when there is none. */
  expandLastTool(): boolean {
    const tool = this.snap.transcript.items.findLast((i) => i.kind === 'tool');
    if (!tool || tool.kind !== 'tool') return false;
    this.set({ staticEntries: [...this.snap.staticEntries, { key: `expanded:${++this.localCount}`, kind: 'expanded', item: tool }] });
    return true;
  }

  /** Follows another session: the scrollback keeps what it has, the new history prints below. */
  async switchTo(sessionId: string): Promise<void> {
    this.stopStream();
    const entries = [...this.snap.staticEntries, this.localEntry('plain', `── session ${sessionId} ──`)];
    this.snap = this.freshSnapshot(sessionId, entries);
    this.set({});
    await this.start();
  }

  /** Posts a message; `delivery` says what it does to a run in progress (default: queue behind it). */
  send(text: string, delivery?: Delivery): Promise<PostMessageResponse> {
    return this.client.postMessage(this.sessionId, {
      text,
      requestId: randomUUID(),
      ...(this.opts.instructions === false ? { instructions: false } : {}),
      ...(delivery ? { delivery } : {}),
    });
  }

  /** Rewinds to before a user message; the transcript hides the items as the event arrives. */
  rewind(toMessageId: string, mode: 'both' | 'conversation' | 'code' = 'both') {
    return this.client.rewind(this.sessionId, { toMessageId, mode });
  }

  /** A manual compaction; the transcript shows its divider as its events arrive. */
  compact(focus: string | undefined) {
    return this.client.compact(this.sessionId, focus ? { focus } : {});
  }

  async cancel(): Promise<boolean> {
    const res = await this.client.cancel(this.sessionId);
    return res.cancelled;
  }

  /** Withdraws a queued message before it runs; false when its run has started (409) or it is gone (404). */
  async withdraw(messageId: string): Promise<boolean> {
    return settled(this.client.withdrawMessage(this.sessionId, messageId, this.opts.clientName ?? 'tui'));
  }

  /** Answers an approval (with `pattern`: the wider rule it allows); false when another client answered first (409). */
  async answer(approvalId: string, decision: ApprovalDecision, pattern?: string): Promise<boolean> {
    const by = this.opts.clientName ?? 'tui';
    return settled(this.client.answerApproval(this.sessionId, approvalId, { decision, by, ...(pattern !== undefined ? { pattern } : {}) }));
  }

  /** Answers (or, with null, dismisses) a question the model asked; false when it was already resolved. */
  async answerClarification(clarifyId: string, answers: ClarifyAnswers | null): Promise<boolean> {
    return settled(this.client.answerClarification(this.sessionId, clarifyId, { answers, by: this.opts.clientName ?? 'tui' }));
  }

  private stopStream(): void {
    this.generation++;
    this.stream?.close();
    this.stream = null;
    this.pending = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.stopStream();
  }

  /** Test hook: feed events as if they came from the stream. */
  injectForTest(events: HermesEvent[]): void {
    for (const e of events) this.enqueue(this.generation, e);
  }
}

/** True when the call went through; false when the daemon says it was already settled or is gone (409/404). */
async function settled(call: Promise<unknown>): Promise<boolean> {
  try {
    await call;
    return true;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 409 || err.status === 404)) return false;
    throw err;
  }
}
