import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import * as acp from '@agentclientprotocol/sdk';
import type {
  ClientContext,
  InitializeRequest,
  RequestPermissionRequest,
  RequestPermissionResponse,
  SessionNotification,
} from '@agentclientprotocol/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { CLI } from './daemon.js';

const require = createRequire(import.meta.url);

const RESPONSES: Record<string, string> = {
  initialize: 'InitializeResponse',
  'session/new': 'NewSessionResponse',
  'session/load': 'LoadSessionResponse',
  'session/resume': 'ResumeSessionResponse',
  'session/close': 'CloseSessionResponse',
  'session/list': 'ListSessionsResponse',
  'session/prompt': 'PromptResponse',
};
const AGENT_SENDS: Record<string, string> = {
  'session/update': 'SessionNotification',
  'session/request_permission': 'RequestPermissionRequest',
  '$/cancel_request': 'CancelRequestNotification',
};

/**
 * Checks one message the agent wrote against the SDK's bundled JSON schema (draft 2020-12):
 * the envelope against the root, and the params or result against the definition of its
 * method (the root alone admits any extension notification). `requests` maps the ids of the
 * client's requests to their methods, to know what a result answers.
 */
export function acpValidator(): (message: unknown, requests?: ReadonlyMap<unknown, string>) => string | null {
  const schema = JSON.parse(readFileSync(require.resolve('@agentclientprotocol/sdk/schema/v1/schema.json'), 'utf8')) as object;
  // The schema carries its own annotations (x-…) and Rust integer formats (uint16, int64).
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(schema, 'acp');
  const root = ajv.getSchema('acp')!;
  const defs = new Map<string, ReturnType<typeof ajv.compile>>();
  const check = (name: string, value: unknown): string | null => {
    let v = defs.get(name);
    if (!v) defs.set(name, (v = ajv.compile({ $ref: `acp#/$defs/${name}` })));
    return v(value) ? null : `${name}: ${ajv.errorsText(v.errors)}`;
  };
  return (message, requests = new Map()) => {
    if (!root(message)) return ajv.errorsText(root.errors);
    const m = message as { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };
    if (m.method !== undefined) {
      const def = AGENT_SENDS[m.method];
      return def ? check(def, m.params) : `an agent does not send ${m.method}`;
    }
    if (m.error !== undefined) return null;
    const method = requests.get(m.id);
    if (method === undefined) return `a result for an id the client never used: ${String(m.id)}`;
    const def = RESPONSES[method];
    return def ? check(def, m.result) : `no schema for the result of ${method}`;
  };
}

/** What the editor saw, in order: updates and permission requests interleaved. */
export type Seen =
  | { kind: 'update'; n: SessionNotification }
  | { kind: 'permission'; params: RequestPermissionRequest; cancelled: boolean };

export type PermissionHandler = (params: RequestPermissionRequest, signal: AbortSignal) => Promise<RequestPermissionResponse>;

export interface AcpHarness {
  proc: ChildProcess;
  agent: ClientContext;
  /** Every line the bridge wrote on stdout, verbatim. */
  lines: string[];
  /** The client's request ids and their methods. */
  requests: Map<unknown, string>;
  seen: Seen[];
  stderr(): string;
  onPermission: PermissionHandler;
  /** Resolves once the editor has seen something matching `pred` (from `from` on). */
  waitFor(pred: (s: Seen) => boolean, what: string, timeoutMs?: number, from?: number): Promise<Seen>;
  /** Closes stdin (as an editor quitting does) and waits for the exit. */
  close(): Promise<number | null>;
}

/** `hermes acp` (the built binary) driven by the SDK's own client over the child's stdio. */
export function startAcp(opts: { home: string; env?: Record<string, string>; cwd?: string }): AcpHarness {
  const proc = spawn(process.execPath, [CLI, 'acp'], {
    env: { ...process.env, HERMES_HOME: opts.home, ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  const lines: string[] = [];
  const seen: Seen[] = [];
  let stderr = '';
  let partial = '';
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      proc.stdout!.on('data', (d: Buffer) => {
        partial += d.toString('utf8');
        const parts = partial.split('\n');
        partial = parts.pop()!;
        lines.push(...parts);
        controller.enqueue(new Uint8Array(d));
      });
      proc.stdout!.on('end', () => {
        if (partial) lines.push(partial);
        controller.close();
      });
    },
  });
  const requests = new Map<unknown, string>();
  const decoder = new TextDecoder();
  let sentPartial = '';
  const writable = new WritableStream<Uint8Array>({
    write: (chunk) => {
      sentPartial += decoder.decode(chunk, { stream: true });
      const sent = sentPartial.split('\n');
      sentPartial = sent.pop()!;
      for (const line of sent) {
        const m = JSON.parse(line) as { id?: unknown; method?: string };
        if (m.id !== undefined && m.method !== undefined) requests.set(m.id, m.method);
      }
      return new Promise<void>((resolve, reject) => {
        if (proc.stdin!.destroyed) return reject(new Error('stdin closed'));
        proc.stdin!.write(chunk, (e) => (e ? reject(e) : resolve()));
      });
    },
  });
  proc.stdin!.on('error', () => {});
  const harness: AcpHarness = {
    proc,
    agent: null as unknown as ClientContext,
    lines,
    requests,
    seen,
    stderr: () => stderr,
    onPermission: async () => ({ outcome: { outcome: 'selected', optionId: 'once' } }),
    waitFor: (pred, what, timeoutMs = 15_000, from = 0) =>
      new Promise<Seen>((resolve, reject) => {
        const check = () => {
          const hit = seen.slice(from).find(pred);
          if (hit) {
            clearTimeout(t);
            resolve(hit);
          } else waiters.push(check);
        };
        const t = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(seen.slice(-5))}; stderr: ${stderr}`)),
          timeoutMs,
        );
        check();
      }),
    close: async () => {
      proc.stdin!.end();
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
      const kill = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
  const app = acp
    .client({ name: 'hermes-test' })
    .onNotification('session/update', ({ params }) => {
      seen.push({ kind: 'update', n: params });
      wake();
    })
    .onRequest('session/request_permission', ({ params, signal }) => {
      const entry: Seen = { kind: 'permission', params, cancelled: false };
      seen.push(entry);
      signal.addEventListener('abort', () => {
        entry.cancelled = true;
        wake();
      });
      wake();
      return harness.onPermission(params, signal);
    });
  harness.agent = app.connect({ ...acp.ndJsonStream(writable, readable) }).agent;
  return harness;
}

export const isUpdate = (kind: string) => (s: Seen) => s.kind === 'update' && s.n.update.sessionUpdate === kind;

/** The text of the agent's message chunks, in order. */
export function agentText(seen: readonly Seen[], messageId?: string): string {
  let text = '';
  for (const s of seen) {
    if (s.kind !== 'update') continue;
    const u = s.n.update;
    if (u.sessionUpdate !== 'agent_message_chunk' || u.content.type !== 'text') continue;
    if (messageId !== undefined && u.messageId !== messageId) continue;
    text += u.content.text;
  }
  return text;
}

export const initParams: InitializeRequest = {
  protocolVersion: acp.PROTOCOL_VERSION,
  clientCapabilities: {},
  clientInfo: { name: 'hermes-test', version: '1.0.0' },
};
