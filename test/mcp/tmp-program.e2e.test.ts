import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpStatusResponse } from '@hermes/protocol';
import { api, rawRequest, readSse, ROOT } from '../support/daemon.js';
import { startStack, type Stack } from '../support/stack.js';

// The sandbox replaces /tmp with the session's own: a server that lives under the host's /tmp
// (a clone there, a test run) must still find its files, read-only. Literally /tmp, not
// os.tmpdir(): that is the path bubblewrap covers.
let stack: Stack | undefined;
let program: string | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
  if (program) await rm(program, { recursive: true, force: true });
});

describe('a sandboxed MCP server whose program is under /tmp', () => {
  it('starts with its package visible read-only, and cannot write there', async () => {
    program = await mkdtemp('/tmp/hermes-mcp-program-');
    await writeFile(path.join(program, 'package.json'), '{"type":"module"}\n');
    await mkdir(path.join(program, 'lib'));
    await mkdir(path.join(program, 'bin'));
    await copyFile(path.join(ROOT, 'test/mcp/fault-server.mjs'), path.join(program, 'lib/fault-server.mjs'));
    // The entry point imports a sibling folder: the whole package must be there, not one file.
    await writeFile(path.join(program, 'bin/server.mjs'), "import '../lib/fault-server.mjs';\n");
    stack = await startStack({
      config: {
        sandbox: { mode: 'on' },
        mcp: {
          servers: {
            good: { command: process.execPath, args: [path.join(program, 'bin/server.mjs'), 'marker', 'started.txt'] },
            writer: {
              command: process.execPath,
              args: [path.join(program, 'bin/server.mjs'), 'marker', path.join(program, 'written-from-inside')],
              startupTimeoutMs: 5000,
            },
          },
          startupWaitMs: 15_000,
        },
      },
    });
    const ws = path.join(stack.work, 'ws');
    await mkdir(ws, { recursive: true });
    stack.provider.script([{ type: 'text', text: 'ok' }]);
    const { id } = await api.createSession(stack.daemon.state, { workspace: ws });
    const sse = readSse(stack.daemon.state, id);
    await api.post(stack.daemon.state, id, 'hello');
    await sse.until((e) => e.type === 'run.completed', 40_000);
    sse.close();
    const status = McpStatusResponse.parse((await rawRequest(stack.daemon.state, 'GET', '/v1/mcp')).json());
    const byName = new Map(status.servers.map((s) => [s.name, s]));
    expect(byName.get('good')).toMatchObject({ status: 'ready' });
    expect(byName.get('good')!.tools.map((t) => t.name)).toEqual(['mcp__good__die']);
    // It ran in the workspace, as a sandboxed server does.
    expect(await readFile(path.join(ws, 'started.txt'), 'utf8')).toMatch(/^started \d+/);
    // Its own folder is read-only inside: the writer could not leave a file there.
    expect(byName.get('writer')?.status).toBe('failed');
    await expect(stat(path.join(program, 'written-from-inside'))).rejects.toThrow();
  });
});
