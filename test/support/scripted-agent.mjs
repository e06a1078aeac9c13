// A scripted test agent for daemon end-to-end tests: it reads commands from the user's
// message and emits protocol events, with no provider. Test-only; the product never uses it.
//   "say <text>"                 one reply
//   "stream <n> [delayMs]"       n deltas "t0 t1 …", optionally paced
//   "approve"                    asks for an approval, then says what was decided
//   "wait <ms>"                  a long run that honours cancel
const sleep = (ms, signal) =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

export function createScriptedAgent() {
  return {
    async run(ctx) {
      const user = [...ctx.transcript.items].reverse().find((i) => i.kind === 'user');
      const [cmd, ...rest] = (user?.text ?? '').trim().split(/\s+/);
      const messageId = `a_${ctx.runId}`;
      const usage = { inputTokens: 1, outputTokens: 1 };
      await ctx.emit({ type: 'message.started', data: { messageId } });
      let text = '';
      const delta = (t) => {
        text += t;
        return ctx.emit({ type: 'message.delta', data: { messageId, text: t } });
      };
      if (cmd === 'stream') {
        const n = Number(rest[0] ?? 10);
        const delay = Number(rest[1] ?? 0);
        for (let i = 0; i < n && !ctx.signal.aborted; i++) {
          const p = delta(`t${i} `);
          // Like a provider stream: bursts of at most 100 events, then a wait for the log.
          if (delay) {
            await p;
            await sleep(delay, ctx.signal);
          } else if (i % 100 === 99) await p;
        }
      } else if (cmd === 'approve') {
        const answer = await ctx.requestApproval({
          toolCallId: 'tc1',
          tool: 'terminal',
          summary: 'rm -rf build',
          reasons: ['recursive delete'],
          choices: ['once', 'session', 'always', 'deny'],
          pattern: 'rm -rf build',
        });
        await delta(`decision=${answer.decision} by=${answer.by}`);
      } else if (cmd === 'wait') {
        await delta('waiting');
        await sleep(Number(rest[0] ?? 60000), ctx.signal);
      } else {
        await delta(rest.join(' ') || 'ok');
      }
      const stopReason = ctx.signal.aborted ? 'cancelled' : 'done';
      await ctx.emit({
        type: 'message.completed',
        data: { messageId, text, toolCalls: [], ...(ctx.signal.aborted ? { partial: true } : {}) },
      });
      return { stopReason, usage };
    },
  };
}
