import {
  emptyTranscript,
  fold,
  type EventDraft,
  type HermesEvent,
  type PostMessageResponse,
  type SessionSummary,
  type Transcript,
} from '@hermes/protocol';
import { advanceCommit, initialCommit } from '../store/scrollback.js';
import type { SessionSnapshot, SessionStore } from '../store/session-store.js';

// Test helpers for the TUI's component tests (not shipped: only *.test.tsx import this).

export const SID = 's1';
let seq = 0;
export function ev(d: EventDraft & { runId?: string }): HermesEvent {
  return { v: 1, seq: ++seq, sessionId: SID, ts: new Date(1_700_000_000_000 + seq).toISOString(), ...d } as HermesEvent;
}
export const strip = (s: string | undefined) => (s ?? '').replace(/\x1b\[[0-9;]*m/g, '');

export function snapshotOf(t: Transcript): SessionSnapshot {
  const { state, entries } = advanceCommit(t, initialCommit, 'x');
  return { sessionId: SID, transcript: t, loaded: true, connection: 'live', staticEntries: entries, commit: state };
}

export function base(): HermesEvent[] {
  seq = 0;
  return [
    ev({ type: 'session.created', data: { title: 'demo', model: 'openai:gpt-4.1', workspace: '/w' } }),
    ev({ type: 'message.user', data: { messageId: 'u1', text: 'hello' } }),
    ev({ type: 'run.started', runId: 'r1', data: { model: 'openai:gpt-4.1' } }),
    ev({ type: 'message.started', runId: 'r1', data: { messageId: 'a1' } }),
  ];
}

/** A stand-in store: the real SessionStore's surface, fed by events folded through the reducer. */
export function fakeStore(
  events: HermesEvent[],
  opts: {
    sessions?: SessionSummary[];
    send?: (text: string) => Promise<void>;
    response?: (text: string, delivery?: string) => PostMessageResponse;
    /** What answerClarification says (false: another client answered first). */
    clarifyTaken?: () => boolean;
  } = {},
) {
  const answers: string[] = [];
  const clarified: { clarifyId: string; answers: unknown }[] = [];
  const withdrawn: string[] = [];
  const patched: unknown[] = [];
  const sent: string[] = [];
  const deliveries: (string | undefined)[] = [];
  const printed: string[] = [];
  const switched: string[] = [];
  const rewound: [string, string][] = [];
  const listeners = new Set<() => void>();
  let snap: SessionSnapshot = { ...snapshotOf(fold(emptyTranscript(SID), events)), lastEventAt: Date.now() - 3000 };
  const store = {
    sessionId: SID,
    client: {
      listSessions: async () => ({ sessions: opts.sessions ?? [] }),
      listModels: async () => ({
        models: [
          { id: 'openai:gpt-4.1', source: 'config' },
          { id: 'anthropic:claude-sonnet-4-5', source: 'session' },
          { id: 'openai:gpt-4.1-mini', source: 'provider' },
        ],
        errors: [],
      }),
      patchSession: async (_id: string, req: unknown) => {
        patched.push(req);
        return {};
      },
    },
    subscribe: (fn: () => void) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    getSnapshot: () => snap,
    print: (_level: string, text: string) => {
      printed.push(text);
    },
    switchTo: async (id: string) => {
      switched.push(id);
    },
    expandLastTool: () => false,
    setWidth: () => {},
    answer: async (_id: string, decision: string) => {
      answers.push(decision);
      return true;
    },
    answerClarification: async (clarifyId: string, a: unknown) => {
      clarified.push({ clarifyId, answers: a });
      return opts.clarifyTaken?.() ?? true;
    },
    cancel: async () => true,
    rewind: async (toMessageId: string, mode: string) => {
      rewound.push([toMessageId, mode]);
      return { rewindId: 'w1', toMessageId, mode, restored: [], skipped: [], text: 'rewound text' };
    },
    send: async (text: string, delivery?: string) => {
      await opts.send?.(text);
      sent.push(text);
      deliveries.push(delivery);
      return opts.response?.(text, delivery) ?? { messageId: `m${sent.length}`, queued: false, disposition: 'started' };
    },
    withdraw: async (messageId: string) => {
      withdrawn.push(messageId);
      store.push([ev({ type: 'message.dequeued', data: { messageId, by: 'tui' } })]);
      return true;
    },
    push(more: HermesEvent[]) {
      const t = fold(snap.transcript, more);
      const adv = advanceCommit(t, snap.commit, 'y');
      snap = { ...snap, transcript: t, commit: adv.state, staticEntries: [...snap.staticEntries, ...adv.entries] };
      for (const fn of listeners) fn();
    },
  };
  return {
    store,
    answers,
    clarified,
    withdrawn,
    patched,
    sent,
    deliveries,
    printed,
    switched,
    rewound,
    asStore: store as unknown as SessionStore,
  };
}

export const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (generous: the machine may be loaded); throws with what it saw. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await tick(20);
  }
}
