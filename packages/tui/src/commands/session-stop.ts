import type { SessionSummary } from '@hermes/protocol';
import type { DaemonClient } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import { connect, resolveSession } from './common.js';
import { reportError } from './report-error.js';

/** How long `rm --force` waits for a cancelled run to close before giving up. */
const IDLE_WAIT_MS = 10_000;

async function guarded(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    return reportError(err);
  }
}

/**
 * Stops a session: withdraws its queued messages (with `all`; they would otherwise start as soon
 * as the run ends), then cancels the run in progress. Returns what it stopped.
 */
export async function stopSession(
  client: DaemonClient,
  id: string,
  all: boolean,
): Promise<{ runId: string | null; withdrawn: number; queued: number }> {
  let withdrawn = 0;
  const { queued } = await client.getSession(id);
  if (all) {
    for (const q of queued) {
      try {
        await client.withdrawMessage(id, q.messageId, 'hermes sessions');
        withdrawn++;
      } catch (err) {
        // Its run started meanwhile (409) or it is gone (404): the cancel below covers it.
        if (!(err instanceof ApiError && (err.status === 409 || err.status === 404))) throw err;
      }
    }
  }
  const res = await client.cancel(id);
  return { runId: res.cancelled ? (res.runId ?? null) : null, withdrawn, queued: queued.length - withdrawn };
}

/** Waits until the session has no run and no queue (a cancelled run takes a moment to close). */
async function waitIdle(client: DaemonClient, id: string, timeoutMs = IDLE_WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await client.getSession(id);
    if (!got.activeRunId && got.queued.length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `hermes sessions cancel ID [--all]`: stops the run in progress (and, with --all, the queue). */
export function sessionsCancel(homeOpt: string | undefined, spec: string, opts: { all?: boolean }): Promise<number> {
  return guarded(async () => {
    const { client } = await connect(homeOpt);
    const s = await resolveSession(client, spec);
    const { runId, withdrawn, queued } = await stopSession(client, s.id, opts.all ?? false);
    if (withdrawn > 0) process.stdout.write(`withdrew ${withdrawn} queued message${withdrawn === 1 ? '' : 's'} of ${s.id}\n`);
    if (runId) process.stdout.write(`cancelled run ${runId} of ${s.id}  ${s.title}\n`);
    else if (withdrawn === 0) process.stderr.write(`hermes: ${s.id} has no run in progress\n`);
    if (queued > 0) {
      process.stderr.write(
        `hermes: ${queued} queued message${queued === 1 ? '' : 's'} will run next; to withdraw them too: hermes sessions cancel --all ${s.id}\n`,
      );
    }
    return 0;
  });
}

function busyLine(s: SessionSummary): string {
  return (
    `hermes: ${s.id} has a run in progress; stop it first with \`hermes sessions cancel ${s.id}\`, ` +
    `or cancel and remove it at once with \`hermes sessions rm --force ${s.id}\``
  );
}

/** `hermes sessions rm ID [--force]`: deletes a session; --force first stops its run and queue. */
export function sessionsRm(homeOpt: string | undefined, spec: string, opts: { force?: boolean } = {}): Promise<number> {
  return guarded(async () => {
    const { client } = await connect(homeOpt);
    const s = await resolveSession(client, spec);
    const remove = async (): Promise<boolean> => {
      try {
        await client.deleteSession(s.id);
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 409) return false;
        throw err;
      }
    };
    if (!(await remove())) {
      if (!opts.force) {
        process.stderr.write(`${busyLine(s)}\n`);
        return 1;
      }
      const { runId } = await stopSession(client, s.id, true);
      if (runId) process.stderr.write(`cancelled run ${runId}\n`);
      if (!(await waitIdle(client, s.id)) || !(await remove())) {
        process.stderr.write(`hermes: ${s.id} did not stop within ${IDLE_WAIT_MS / 1000} s; try again, or see \`hermes daemon logs\`\n`);
        return 1;
      }
    }
    process.stdout.write(`deleted ${s.id}  ${s.title}\n`);
    return 0;
  });
}
