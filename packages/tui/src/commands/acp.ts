import { resolveHome } from '../client/discovery.js';
import { AcpBridge } from '../acp/bridge.js';
import { openAcpLog } from '../acp/log.js';
import { claimStdout, stdioStream } from '../acp/stdio.js';
import { CLI_VERSION } from '../version.js';

/**
 * `hermes acp`: the Agent Client Protocol on stdin/stdout, for editors (Zed, JetBrains, Neovim…).
 * Runs until the editor closes stdin. Nothing but protocol messages ever reaches stdout.
 */
export async function acpCommand(homeOpt: string | undefined): Promise<number> {
  const write = claimStdout();
  const home = resolveHome(homeOpt);
  const log = openAcpLog(home, { trace: process.env.HERMES_ACP_TRACE === '1' });
  log.info(`hermes acp ${CLI_VERSION} started (pid ${process.pid}, home ${home})`);
  const bridge = new AcpBridge({ home, log, version: CLI_VERSION });
  const connection = bridge.app.connect(stdioStream(write, log));
  await connection.closed;
  log.info('the editor closed the connection');
  bridge.close();
  await log.close();
  // Should a socket linger (a reconnecting stream), it must not keep a finished bridge alive.
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}
