import os from 'node:os';
import path from 'node:path';
import type { HermesConfig, McpServerStatus } from '@hermes/protocol';
import { McpManager } from './manager.js';

/**
 * `hermes mcp test NAME`: starts the server here (unsandboxed, in `workspace`), waits for it,
 * lists its tools as the model would see them, and closes it. The stderr log goes to `logsDir`.
 */
export async function testServer(
  config: HermesConfig,
  name: string,
  workspace: string,
  env: Readonly<Record<string, string | undefined>>,
  logsDir: string = path.join(os.tmpdir()),
): Promise<{ status: McpServerStatus; ms: number }> {
  // Only that server: never the workspace's .mcp.json.
  const only: HermesConfig = {
    ...config,
    mcp: { ...config.mcp, servers: { [name]: config.mcp!.servers![name]! }, projectServers: 'never' },
  };
  const manager = new McpManager(logsDir, logsDir, null);
  const t0 = Date.now();
  try {
    const io = { ask: async () => ({ decision: 'deny' as const, by: 'test' }), notice: async () => {} };
    const run = manager.forRun({ config: only, env, workspace, sessionId: 'test', io });
    await run.settle(24 * 3600_000);
    return { status: manager.status(only)[0]!, ms: Date.now() - t0 };
  } finally {
    await manager.shutdown();
  }
}
