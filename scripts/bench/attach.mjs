// `hermes attach <id>` on a session of 5,000 events: time from spawn to a complete screen
// (the last reply's final token visible, and the input box under it: the history is printed
// before Ink starts, so the marker alone would not mean the TUI is up). Baseline: a bare Node process in the same PTY that
// reads the same replay from the daemon and prints its text (child-print.mjs replay).
import { CHILD_PRINT, CLI, childEnv, median, now, startStack } from './common.mjs';
import { PtyApp } from './pty.mjs';
import { row, unavailable } from './report.mjs';
import { buildSession } from './tui.mjs';

const AREA = 'attach';
const MARKER = 'ZQXLAST';
const INPUT_BOX = 'Type a message';
const T_ATTACH = { text: '≤ 2× bare node', on: 'ratio', op: '<', limit: 2 };

export async function run({ quick }) {
  const rows = [];
  const EVENTS = quick ? 1000 : 5000;
  // Each exchange is message.user, run.started, message.started, 44 deltas, message.completed,
  // usage.updated, run.completed (about 50 events), so 100 exchanges make 5,000 events. Deltas
  // unbatched: at a model's real pace (~80 tok/s, under the 16 ms window) each token is one.
  const exchanges = Math.round(EVENTS / 50);
  const stack = await startStack({ agent: { streamIntervalMs: 0 } });
  try {
    const s = await buildSession(stack, exchanges * 2, 'attach', (i, n) => ({
      type: 'text',
      text: `reply ${i} ${'word '.repeat(40)}${i === n - 1 ? MARKER : 'end'}`,
    }));
    const reps = quick ? 1 : 3;
    const times = [];
    let failure = null;
    for (let i = 0; i < reps && !failure; i++) {
      const app = new PtyApp(process.execPath, [CLI, 'attach', s.id], childEnv(stack.home));
      const t0 = now();
      try {
        times.push(
          (await app.waitFor((screen) => screen.includes(MARKER) && screen.includes(INPUT_BOX), 30000, 'the complete screen')) - t0,
        );
      } catch (err) {
        failure = /not built yet/.test(app.output) ? 'hermes attach not built yet' : String(err.message).split('\n')[0].slice(0, 100);
      }
      await app.stop();
    }
    const base = [];
    for (let i = 0; i < reps; i++) {
      const { port, token } = stack.daemon.state;
      const app = new PtyApp(process.execPath, [CHILD_PRINT, 'replay', String(port), token, s.id], childEnv(stack.home));
      const t0 = now();
      base.push((await app.waitForText(MARKER, 30000)) - t0);
      await app.stop();
    }
    const metric = `hermes attach → complete screen, ${s.lastSeq}-event session (p50 of ${reps})`;
    if (failure) rows.push(unavailable(AREA, metric, 'ms', failure));
    else
      rows.push(
        row({
          area: AREA,
          metric,
          value: median(times),
          unit: 'ms',
          baseline: median(base),
          baselineWhat: 'bare node printing the same replay',
          target: T_ATTACH,
        }),
      );
  } finally {
    await stack.close();
  }
  return rows;
}
