import { DaemonClient } from '../client/api.js';
import { ensureDaemon } from '../client/autostart.js';
import { resolveHome } from '../client/discovery.js';
import { sandboxReport } from '../format/sandbox.js';

/** `hermes sandbox status`: asks the daemon, which probed the sandbox by running a command in it. */
export async function sandboxStatusCommand(homeOpt: string | undefined, json: boolean): Promise<number> {
  const state = await ensureDaemon(resolveHome(homeOpt));
  const status = await new DaemonClient(state).sandboxStatus();
  process.stdout.write(json ? JSON.stringify(status) + '\n' : sandboxReport(status));
  return status.active || status.mode === 'off' ? 0 : 1;
}
