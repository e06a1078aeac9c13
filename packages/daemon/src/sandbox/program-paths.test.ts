import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { programReadOnly } from './program-paths.js';

// `shadowed` stands for the host's /tmp, which the sandbox covers with the session's own.
let shadowed: string;
const servers: net.Server[] = [];
beforeEach(async () => {
  shadowed = await realpath(await mkdtemp(path.join(os.tmpdir(), 'hermes-shadowed-')));
});
afterEach(async () => {
  for (const s of servers.splice(0)) s.close();
  await rm(shadowed, { recursive: true, force: true });
});

async function listen(p: string): Promise<void> {
  const s = net.createServer();
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(p, resolve));
}

describe('programReadOnly: what an MCP server needs to see of the covered /tmp', () => {
  it('the package a script belongs to, found through a .bin link, and nothing outside the covered folder', async () => {
    const pkg = path.join(shadowed, 'clone');
    await mkdir(path.join(pkg, 'node_modules/srv/dist'), { recursive: true });
    await mkdir(path.join(pkg, 'node_modules/.bin'), { recursive: true });
    await writeFile(path.join(pkg, 'package.json'), '{}');
    await writeFile(path.join(pkg, 'node_modules/srv/package.json'), '{}');
    await writeFile(path.join(pkg, 'node_modules/srv/dist/index.js'), '');
    await symlink('../srv/dist/index.js', path.join(pkg, 'node_modules/.bin/srv'));
    const got = await programReadOnly({ command: path.join(pkg, 'node_modules/.bin/srv'), args: ['--port=3', '/usr/bin'] }, '', shadowed);
    expect(got).toEqual([pkg]);
  });

  it('a bare command found on PATH, a relative argument against the folder, a --flag=path value', async () => {
    const bin = path.join(shadowed, 'bin');
    const dir = path.join(shadowed, 'srv');
    await mkdir(bin);
    await mkdir(dir);
    await writeFile(path.join(bin, 'my-server'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(path.join(dir, 'main.py'), '');
    await writeFile(path.join(shadowed, 'conf.json'), '{}');
    const got = await programReadOnly(
      { command: 'my-server', args: ['main.py', `--config=${path.join(shadowed, 'conf.json')}`], cwd: dir },
      `/nonexistent:${bin}`,
      shadowed,
    );
    expect(got.sort()).toEqual([path.join(bin, 'my-server'), path.join(shadowed, 'conf.json'), dir, path.join(dir, 'main.py')].sort());
  });

  it('never a socket, nor a folder that holds one (an ssh agent, the X display, tmux)', async () => {
    const agentDir = path.join(shadowed, 'ssh-XXXXabc');
    await mkdir(agentDir);
    await listen(path.join(agentDir, 'agent.123'));
    const x11 = path.join(shadowed, '.X11-unix');
    await mkdir(x11);
    await listen(path.join(x11, 'X0'));
    const got = await programReadOnly(
      { command: '/bin/cat', args: [path.join(agentDir, 'agent.123'), agentDir, `${x11}/`, path.join(x11, 'X0')], cwd: agentDir },
      '',
      shadowed,
    );
    expect(got).toEqual([]);
  });

  it('not the covered folder itself, and not a link planted to reach a secret elsewhere', async () => {
    await symlink(path.join(os.homedir(), '.ssh'), path.join(shadowed, 'keys'));
    const got = await programReadOnly({ command: '/bin/cat', args: [shadowed, path.join(shadowed, 'keys')] }, '', shadowed);
    expect(got).toEqual([]);
  });

  it("an attacker's ways round it: `..` into an agent folder, a package.json beside a socket, a link to a package elsewhere", async () => {
    const agentDir = path.join(shadowed, 'ssh-abc');
    await mkdir(agentDir);
    await listen(path.join(agentDir, 'agent.9'));
    // A package root that also holds a socket is not bound, whatever names it.
    const evil = path.join(shadowed, 'evil');
    await mkdir(path.join(evil, 'bin'), { recursive: true });
    await writeFile(path.join(evil, 'package.json'), '{}');
    await writeFile(path.join(evil, 'bin', 'x.js'), '');
    await listen(path.join(evil, 'ctl.sock'));
    await symlink(agentDir, path.join(shadowed, 'innocent'));
    const got = await programReadOnly(
      {
        command: process.execPath,
        args: [
          `${shadowed}/evil/../ssh-abc/agent.9`,
          path.join(evil, 'bin', 'x.js'),
          `--sock=${shadowed}/innocent/agent.9`,
          `${shadowed}/innocent`,
        ],
      },
      '',
      shadowed,
    );
    expect(got).toEqual([]);
  });
});
