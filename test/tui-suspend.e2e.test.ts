import headless from '@xterm/headless';
import * as pty from 'node-pty';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';

const { Terminal } = headless;

/** The state letter of a process (`T`: stopped), from /proc. */
function procState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

// Ctrl+Z needs a shell with job control around the chat (a process group that is not orphaned:
// the kernel drops SIGTSTP otherwise), so the chat runs inside an interactive bash.
describe('Ctrl+Z in hermes chat (#12 item 30)', { timeout: 90_000 }, () => {
  let daemon: TestDaemon;
  let shell: pty.IPty;
  const term = new Terminal({ cols: 100, rows: 30, scrollback: 10_000, allowProposedApi: true });
  const screen = () => {
    const b = term.buffer.active;
    return Array.from({ length: b.length }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').join('\n');
  };
  const waitFor = async (pred: (s: string) => boolean, what: string, ms = 20_000) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      await new Promise<void>((r) => term.write('', r));
      if (pred(screen())) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
  };

  beforeAll(async () => {
    daemon = await startTestDaemon();
    shell = pty.spawn('bash', ['--norc', '--noprofile', '-i'], {
      name: 'xterm-256color',
      cols: 100,
      rows: 30,
      cwd: daemon.home,
      env: { ...process.env, HERMES_HOME: daemon.home, CI: 'true', PS1: 'SHELL$ ' } as Record<string, string>,
    });
    shell.onData((d) => term.write(d));
  });
  afterAll(async () => {
    shell?.kill();
    await daemon?.kill('SIGKILL');
    await removeHome(daemon.home);
  });

  it('stops the chat and gives the shell back; fg redraws it where the shell left off and it works on', async () => {
    await waitFor((s) => s.includes('SHELL$'), 'the shell prompt');
    shell.write(`${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} chat\r`);
    await waitFor((s) => s.includes('● idle'), 'the chat');
    shell.write('half a draft');
    await waitFor((s) => s.includes('half a draft'), 'the draft');

    shell.write('\x1a');
    await waitFor((s) => /Stopped/.test(s) && /SHELL\$ $/m.test(s), 'the shell after Ctrl+Z');
    // The chat's live region was taken off the screen, and the chat process is stopped.
    expect(screen()).not.toContain('● idle');
    const chatPid = Number(readFileSync(`/proc/${shell.pid}/task/${shell.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
    expect(procState(chatPid)).toBe('T');

    shell.write('fg\r');
    await waitFor((s) => s.includes('● idle'), 'the chat again after fg');
    const after = screen();
    // Drawn below what the shell printed meanwhile, which is still there.
    expect(after).toMatch(/Stopped[\s\S]*SHELL\$ fg[\s\S]*half a draft[\s\S]*● idle/);

    // The keyboard is the chat's again (raw mode back: no echo by the terminal driver, the
    // draft goes on in the input box); Ctrl+C clears it and Ctrl+D leaves.
    shell.write(' and the rest');
    await waitFor((s) => s.includes('› half a draft and the rest'), 'the draft going on');
    const end = screen();
    expect(end).toContain('Stopped');
    expect(end).toContain('SHELL$ fg');
    expect(end.match(/● idle/g)).toHaveLength(1);
    shell.write('\x03');
    await waitFor((s) => !s.includes('half a draft and the rest'), 'the draft cleared');
    shell.write('\x04');
    await waitFor((s) => /Resume this session with/.test(s) && /SHELL\$ $/m.test(s), 'the shell after the chat');
  });
});
