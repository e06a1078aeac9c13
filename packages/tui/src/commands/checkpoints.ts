import { checkpointsStatusText, pruneLine } from '../format/checkpoint-store.js';
import { connect } from './common.js';
import { reportError } from './report-error.js';

/** `hermes checkpoints status [--json]`. */
export async function checkpointsStatus(homeOpt: string | undefined, opts: { json?: boolean }): Promise<number> {
  try {
    const { client } = await connect(homeOpt);
    const s = await client.checkpointsStatus();
    process.stdout.write(opts.json ? `${JSON.stringify(s, null, 2)}\n` : checkpointsStatusText(s));
    return 0;
  } catch (err) {
    return reportError(err);
  }
}

/** `hermes checkpoints prune [--json]`: exit 1 (409) while a run is active. */
export async function checkpointsPrune(homeOpt: string | undefined, opts: { json?: boolean }): Promise<number> {
  try {
    const { client } = await connect(homeOpt);
    const r = await client.pruneCheckpoints();
    process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${pruneLine(r)}\n`);
    return 0;
  } catch (err) {
    return reportError(err);
  }
}
