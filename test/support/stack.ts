import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startProviderServer } from '../provider-server/index.mjs';
import { removeHome, startTestDaemon, tempHome, type TestDaemon } from './daemon.js';

export type ProviderServer = Awaited<ReturnType<typeof startProviderServer>>;

export interface Stack {
  home: string;
  /** A folder for workspaces, outside HERMES_HOME (which the sandbox hides from commands). */
  work: string;
  provider: ProviderServer;
  daemon: TestDaemon;
  /** Restarts the daemon on the same home (e.g. after a kill -9). */
  restart(): Promise<TestDaemon>;
  close(): Promise<void>;
}

/**
 * The whole product on loopback: the scripted provider server, and a real daemon
 * (`hermes daemon run`, the real agent) whose config points `scripted:*` models at it.
 */
export async function startStack(
  opts: {
    config?: Record<string, unknown>;
    env?: Record<string, string>;
    protocol?: 'openai' | 'anthropic';
    tokensPerSecond?: number;
    /** The scripted provider's per-model windows (see its README). */
    contextWindows?: Record<string, number>;
  } = {},
): Promise<Stack> {
  const provider = await startProviderServer({
    ...(opts.tokensPerSecond ? { tokensPerSecond: opts.tokensPerSecond } : {}),
    ...(opts.contextWindows ? { contextWindows: opts.contextWindows } : {}),
  });
  const home = await tempHome();
  const work = await tempHome('hermes-work-');
  const type = opts.protocol ?? 'openai';
  const baseUrl = type === 'openai' ? provider.openaiBaseUrl : provider.anthropicBaseUrl;
  const config = {
    model: 'scripted:default',
    providers: { scripted: { type, baseUrl } },
    timeouts: { firstByteMs: 5000, idleMs: 5000 },
    retry: { maxRetries: 2, maxDelayMs: 200 },
    ...opts.config,
  };
  await writeFile(path.join(home, 'config.json'), JSON.stringify(config, null, 2));
  const env = { OLLAMA_HOST: 'http://127.0.0.1:9', ...opts.env };
  let daemon = await startTestDaemon({ home, agent: 'real', env });
  const stack: Stack = {
    home,
    work,
    provider,
    get daemon() {
      return daemon;
    },
    restart: async () => {
      daemon = await startTestDaemon({ home, agent: 'real', env });
      return daemon;
    },
    close: async () => {
      await daemon.kill();
      await provider.close();
      await removeHome(home);
      await removeHome(work);
    },
  };
  return stack;
}
