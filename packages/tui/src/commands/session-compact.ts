import { compactionLine } from '../format/compaction.js';
import { connect, resolveSession } from './common.js';
import { reportError } from './report-error.js';

/** `hermes sessions compact ID [--focus …]`: exit 0 when applied, 1 when not (the reason on stderr). */
export async function sessionsCompact(homeOpt: string | undefined, spec: string, opts: { focus?: string }): Promise<number> {
  try {
    const { client } = await connect(homeOpt);
    const { id } = await resolveSession(client, spec);
    const r = await client.compact(id, opts.focus?.trim() ? { focus: opts.focus.trim() } : {});
    const line = compactionLine({
      trigger: 'manual',
      status: r.status,
      tokensBefore: r.tokensBefore,
      ...(r.tokensAfter !== undefined ? { tokensAfter: r.tokensAfter } : {}),
      ...(r.error ? { error: { ...r.error, retryable: false } } : {}),
    });
    if (r.status === 'completed') {
      process.stdout.write(`${line}\n`);
      return 0;
    }
    process.stderr.write(`hermes: ${line}\n`);
    return 1;
  } catch (err) {
    return reportError(err);
  }
}
