// `hermes chat` in a pseudo-terminal, its output parsed by a headless xterm. The baselines run
// in the same harness: a bare Node process printing the same stream (child-print.mjs), and
// the chat on an empty session for keystrokes.
import { longText } from '../../test/provider-server/index.mjs';
import { CHILD_PRINT, CLI, childEnv, cpuMsOf, median, memOf, MiB, now, percentile, sleep, startStack } from './common.mjs';
import { PtyApp } from './pty.mjs';
import { row, unavailable } from './report.mjs';

const AREA = 'tui';
const T_LAG = { text: '≤ 0.5 s', on: 'value', op: '<', limit: 500 };
const T_RSS = { text: '< 150 MiB', on: 'value', op: '<', limit: 150 };
const T_KEY = { text: '< 16 ms', on: 'value', op: '<', limit: 16 };
// Issue 19: the screen at most 150 ms behind the provider's last byte; echo p95 under 8 ms.
const T_LAG_PROVIDER = { text: '≤ 150 ms', on: 'value', op: '<', limit: 150 };
const T_KEY_P95 = { text: '< 8 ms', on: 'value', op: '<', limit: 8 };
const READY = 'Type a message';

/** Starts `hermes chat [args]` and waits for its composer; null with a reason when chat is not usable. */
export async function startChat(home, args = [], readyTimeoutMs = 20000) {
  const app = new PtyApp(process.execPath, [CLI, ...args], childEnv(home));
  try {
    await app.waitForText(READY, readyTimeoutMs);
    await app.quiet(200);
    return { app };
  } catch (err) {
    const out = app.output;
    await app.stop();
    return {
      app: null,
      reason: /not built yet/.test(out) ? 'hermes chat not built yet' : String(err.message).split('\n')[0].slice(0, 100),
    };
  }
}

/** Types a line the way a person does: the text, a pause (no paste heuristics), then Enter. */
async function submit(app, text) {
  app.write(text);
  await sleep(60);
  app.write('\r');
}

/** Streams `tokens` tokens ending in `marker` into the chat; figures measured while it streams. */
async function streamInto(stack, app, tokens, marker) {
  const { provider, client } = stack;
  provider.script({ type: 'text', text: `${longText(tokens - 1)}${marker}` }, { model: 'default' });
  // A side reader, subscribed before Enter, sees run.completed: the moment the daemon has
  // published the whole reply. The chat's session is the newest one in this home.
  const { sessions } = await client.list();
  const session = [...sessions].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const side = client.subscribe(session.id, session.lastSeq);
  await side.attached;
  const c0 = cpuMsOf(app.pid);
  const b0 = app.bytes;
  const t0 = now();
  // The prompt must not contain the marker, or its echo would count as the reply.
  await submit(app, `stream ${tokens} tokens`);
  const shown = await app.waitForText(marker, 120000);
  const runDone = await Promise.race([side.runCompleted(1), sleep(10000).then(() => NaN)]);
  side.close();
  // CPU and bytes include what the TUI does once the reply is complete (until it goes quiet).
  await app.quiet(200, 10000).catch(() => {});
  const record = provider.requests[provider.requests.length - 1];
  return {
    ms: shown - t0,
    cpuMs: cpuMsOf(app.pid) - c0,
    bytes: app.bytes - b0,
    lagFromCompleted: shown - runDone,
    lagFromProvider: shown - record.doneAt,
  };
}

/** The same tokens printed by a bare Node process in the same harness. */
async function baselineStream(stack, tokens, marker) {
  const { provider } = stack;
  const model = `print-${marker}`;
  provider.script({ type: 'text', text: `${longText(tokens - 1)}${marker}` }, { model });
  const app = new PtyApp(process.execPath, [CHILD_PRINT, 'provider', provider.openaiBaseUrl, model], childEnv(stack.home));
  const t0 = now();
  const shown = await app.waitForText(marker, 60000);
  await app.exit;
  const record = provider.requests.find((r) => r.model === model);
  const res = { ms: shown - t0, bytes: app.bytes, lagFromProvider: shown - record.doneAt };
  await app.stop();
  return res;
}

/** Times each typed character until it is on the screen. */
async function keystrokes(app, n) {
  // A prefix that occurs nowhere else on the screen; its echo is waited for, not timed.
  const prefix = 'QXV';
  app.write(prefix);
  await app.waitForText(prefix, 10000);
  await app.quiet(150, 10000).catch(() => {});
  const letters = 'qjzkvwxyqjzkvwxyqjzkvwxyqjzkvwxyqjzkvwxy'.slice(0, n);
  const times = [];
  let typed = prefix;
  for (const ch of letters) {
    typed += ch;
    const t0 = now();
    app.write(ch);
    const t = await app.waitForText(typed, 5000);
    times.push(t - t0);
    await sleep(30);
  }
  return times;
}

/** Builds a session of `messages` messages (half user, half one-token replies) through the API. */
export async function buildSession(stack, messages, model, replyOf = () => ({ type: 'text', text: 'ok' })) {
  const { client, provider } = stack;
  const s = await client.createSession({ model: `scripted:${model}` });
  const reader = client.subscribe(s.id);
  await reader.attached;
  const exchanges = Math.ceil(messages / 2);
  for (let i = 0; i < exchanges; i++) provider.script(replyOf(i, exchanges), { model });
  // Posted all at once: they queue in the daemon and run back to back.
  for (let i = 0; i < exchanges; i += 50)
    await Promise.all(Array.from({ length: Math.min(50, exchanges - i) }, (_, k) => client.post(s.id, `message number ${i + k}`)));
  await reader.runCompleted(exchanges);
  const lastSeq = reader.lastSeq;
  reader.close();
  return { id: s.id, lastSeq };
}

export async function run({ quick }) {
  const rows = [];
  const N = quick ? 3000 : 20000;
  const N2 = quick ? 5000 : 50000;
  const stack = await startStack();
  try {
    const { app, reason } = await startChat(stack.home);
    if (!app) {
      rows.push(
        unavailable(AREA, 'CPU per 1k streamed tokens', 'ms', reason),
        unavailable(AREA, `screen lag after a ${N}-token stream`, 'ms', reason, T_LAG),
        unavailable(AREA, 'keystroke echo, 5,000 messages loaded', 'ms', reason, T_KEY),
        unavailable(AREA, 'peak RSS after a 50k-token session', 'MiB', reason, T_RSS),
      );
      return rows;
    }
    const idleRss = memOf(app.pid)?.rss ?? NaN;
    const warm = await streamInto(stack, app, 300, 'ZQXWARM');
    void warm;

    const base = await baselineStream(stack, N, 'ZQXBASE');
    const big = await streamInto(stack, app, N, 'ZQXEND1');
    rows.push(
      row({
        area: AREA,
        metric: `CPU per 1k streamed tokens (${N}-token reply)`,
        value: big.cpuMs / (N / 1000),
        unit: 'ms',
        note: 'TUI process user+sys',
      }),
      row({
        area: AREA,
        metric: 'bytes to the terminal per 1k streamed tokens',
        value: big.bytes / (N / 1000),
        unit: 'B',
        baseline: base.bytes / (N / 1000),
        baselineWhat: 'bare node printing the stream',
      }),
      row({
        area: AREA,
        metric: `screen lag after a ${N}-token stream, from run.completed`,
        value: big.lagFromCompleted,
        unit: 'ms',
        target: T_LAG,
      }),
      row({
        area: AREA,
        metric: `screen lag after a ${N}-token stream, from provider's last byte`,
        value: big.lagFromProvider,
        unit: 'ms',
        baseline: base.lagFromProvider,
        baselineWhat: 'bare node printing the stream',
        target: T_LAG_PROVIDER,
      }),
      row({
        area: AREA,
        metric: `time to show a ${N}-token reply (Enter → last token on screen)`,
        value: big.ms,
        unit: 'ms',
        baseline: base.ms,
        baselineWhat: 'bare node, spawn → last token',
      }),
    );

    // Grow the session to 50k streamed tokens in total, then read the TUI's peak RSS.
    const rest = N2 - N - 300;
    if (rest > 0) await streamInto(stack, app, rest, 'ZQXEND2');
    rows.push(
      row({
        area: AREA,
        metric: `peak RSS after a ${N2 / 1000}k-token session`,
        value: (memOf(app.pid)?.hwm ?? NaN) / MiB,
        unit: 'MiB',
        baseline: idleRss / MiB,
        baselineWhat: 'the TUI at start',
        target: T_RSS,
      }),
    );

    // Keystrokes on an empty session first (the baseline), then with many messages loaded.
    const keys = quick ? 10 : 25;
    const empty = await startChat(stack.home);
    const emptyTimes = empty.app ? await keystrokes(empty.app, keys) : [];
    await empty.app?.stop();
    await app.stop();
    const M = quick ? 500 : 5000;
    const loaded = await buildSession(stack, M, 'loaded');
    const big5k = await startChat(stack.home, ['chat', '--session', loaded.id], 60000);
    if (!big5k.app) rows.push(unavailable(AREA, `keystroke echo, ${M} messages loaded`, 'ms', big5k.reason, T_KEY));
    else {
      const times = await keystrokes(big5k.app, keys);
      await big5k.app.stop();
      rows.push(
        row({
          area: AREA,
          metric: `keystroke echo p50, ${M} messages loaded`,
          value: median(times),
          unit: 'ms',
          baseline: median(emptyTimes),
          baselineWhat: 'chat on an empty session',
          target: T_KEY,
        }),
        row({
          area: AREA,
          metric: `keystroke echo p95, ${M} messages loaded`,
          value: percentile(times, 95),
          unit: 'ms',
          baseline: percentile(emptyTimes, 95),
          baselineWhat: 'empty session',
          target: T_KEY_P95,
        }),
      );
    }
    // The harness's own floor: the kernel's tty echo (cat) through the same PTY and xterm.
    const cat = new PtyApp('/bin/cat', [], childEnv(stack.home));
    await sleep(100);
    const catTimes = await keystrokes(cat, keys);
    await cat.stop();
    rows.push(row({ area: AREA, metric: 'keystroke echo p50 of cat (tty echo): the harness floor', value: median(catTimes), unit: 'ms' }));
  } finally {
    await stack.close();
  }
  return rows;
}
