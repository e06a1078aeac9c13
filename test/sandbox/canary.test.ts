// Issue 10, "a corpus test that runs each dangerous command for real inside the sandbox against
// canary files and checks by content that no canary changed". Each attack runs through the real
// terminal tool in real bubblewrap; afterwards every canary is hashed, the fixture is walked for
// anything new, the output is searched for every secret (plain, hex, base64, reversed), the host
// listeners must have seen nothing and the host canary process must still live. Effects, not flags.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { HermesConfig } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolEnvironment } from '../../packages/daemon/dist/agent/tool-env.js';
import { SandboxService, type CommandSandbox } from '../../packages/daemon/dist/sandbox/index.js';
import { terminalTool } from '../../packages/daemon/dist/tool/terminal.js';
import { CORPUS, type Attack } from './support/corpus.js';
import {
  createFixture,
  diffSnapshots,
  gitCanaries,
  leakedSecrets,
  restoreSnapshot,
  restoreWorkspace,
  snapshot,
  type Content,
  type Fixture,
  type Snapshot,
} from './support/fixture.js';
import { alive, hostProcessesWith, sleep, startCanaryProcess, startHostTargets, within, type HostTargets } from './support/host.js';

const REQUIRED = process.env.HERMES_SANDBOX_REQUIRED === '1';
const CLI = path.resolve('packages/tui/dist/hermes.js');
/** Where an escaped write would land, besides the fixture (checked by name after every attack). */
const REAL_HOME = os.userInfo().homedir;
const SYSTEM_DIRS = ['/', '/var/tmp', '/var', REAL_HOME, '/usr', '/etc', '/opt', '/dev/shm', '/tmp'];
/** Host files no command may change: the real user's dotfiles, system files, kernel knobs for host-wide code execution. */
const HOST_FILES = [
  `${REAL_HOME}/.bashrc`,
  `${REAL_HOME}/.profile`,
  '/etc/passwd',
  '/etc/hosts',
  '/proc/sys/kernel/core_pattern',
  '/proc/sys/kernel/modprobe',
  '/proc/sys/kernel/hostname',
  '/sys/kernel/uevent_helper',
];

function hostFileContents(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of HOST_FILES) {
    try {
      out.set(f, readFileSync(f, 'latin1'));
    } catch {
      out.set(f, '<unreadable>');
    }
  }
  return out;
}

/** Puts a changed host file back (the machine is shared: an escape must not outlive its test). */
function restoreHostFile(file: string, content: string): void {
  if (content === '<unreadable>') return;
  try {
    writeFileSync(file, content, 'latin1');
  } catch (e) {
    console.error(`[sandbox canary corpus] could not restore ${file}: ${(e as Error).message}`);
  }
}

interface World {
  fx: Fixture;
  targets: HostTargets;
  canary: ChildProcess;
  service: SandboxService;
  config: HermesConfig;
  env: Record<string, string | undefined>;
  a: CommandSandbox;
  b: CommandSandbox;
  /** Host directories behind each session's /tmp (allowed to change). */
  sessionTmps: string[];
  baseline: Snapshot;
  hostBaseline: Map<string, string>;
  gitBaseline: Snapshot;
  contents: Map<string, Content>;
  vars: Record<string, string>;
}

let world: World | null = null;
let skipReason = '';
const savedHome = process.env.HOME;

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{([A-Z0-9_]+)\}/g, (m, k: string) => vars[k] ?? m);
}

async function exec(
  w: World,
  command: string,
  opts: { sandbox?: CommandSandbox; workdir?: string; signal?: AbortSignal; onOutput?: (t: string) => void; timeout?: number } = {},
) {
  return terminalTool.execute(
    { command, workdir: opts.workdir, timeout: opts.timeout ?? 20 },
    {
      workspace: w.fx.workspace,
      env: w.env,
      signal: opts.signal ?? new AbortController().signal,
      onOutput: opts.onOutput ?? (() => {}),
      sandbox: opts.sandbox ?? w.a,
    },
  );
}

function hostGit(w: World, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd: w.fx.workspace,
      env: { PATH: w.env.PATH, HOME: w.fx.home, GIT_CONFIG_NOSYSTEM: '1' },
      timeout: 15_000,
      stdio: 'pipe',
    }).toString();
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}

function strayFiles(w: World): string[] {
  const found: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    try {
      for (const name of readdirSync(dir)) if (name.includes(w.fx.nonce) && name.startsWith('PWNED')) found.push(path.join(dir, name));
    } catch {
      // unreadable: nothing of ours there
    }
  }
  const pwn = w.vars.PWN ?? '';
  if (existsSync(pwn)) found.push(`${pwn} (a command ran outside the sandbox)`);
  return found;
}

/** Runs one attack and returns what went wrong (empty: it held). Leaves the world as the baseline. */
async function attack(w: World, at: Attack): Promise<string[]> {
  const problems: string[] = [];
  const started = `ATTACK_STARTED_${w.fx.nonce}`;
  for (const step of typeof at.setup === 'string' ? [at.setup] : (at.setup ?? [])) {
    await exec(w, fill(step, w.vars), { timeout: 60 }).catch((e: unknown) =>
      problems.push(`the tool threw on the set-up: ${(e as Error).message}`),
    );
  }
  let streamed = '';
  const r = await exec(w, `echo ${started}\n${fill(at.command, w.vars)}`, {
    workdir: at.workdir ? fill(at.workdir, w.vars) : undefined,
    onOutput: (t) => (streamed += t),
  }).catch((e: unknown) => {
    problems.push(`the tool threw instead of returning a result: ${(e as Error).message}`);
    return { ok: false, result: '', exitCode: null };
  });
  if (!r.result.includes(started) && !at.mayRefuse) problems.push(`did not run in the sandbox: ${r.result.slice(0, 300)}`);
  if (at.exitCode !== undefined && r.exitCode !== at.exitCode) problems.push(`exit code ${r.exitCode}, expected ${at.exitCode}`);
  if (at.output && !at.output.test(r.result)) problems.push(`the output does not match ${at.output}`);
  // What the model sees, and what was streamed to clients and the event log.
  const leaked = [...new Set([...leakedSecrets(r.result, w.fx.secrets), ...leakedSecrets(streamed, w.fx.secrets)])];
  if (leaked.length) problems.push(`secrets in the output: ${leaked.join(', ')}`);
  if (at.hostGit) {
    hostGit(w, ['status', '--short']);
    hostGit(w, ['commit', '--allow-empty', '-qm', 'the user commits']);
  }
  problems.push(...w.targets.hits().map((h) => `reached the host: ${h}`));
  if (!alive(w.canary.pid)) problems.push('the host canary process was killed');
  const after = snapshot(w.fx.root, [w.fx.workspace, ...w.sessionTmps]);
  const changes = diffSnapshots(w.baseline, after);
  problems.push(...changes.map((c) => `outside the workspace: ${c}`));
  problems.push(...diffSnapshots(w.gitBaseline, gitCanaries(w.fx)).map((c) => `workspace git canary: ${c}`));
  const host = hostFileContents();
  for (const [f, before] of w.hostBaseline) {
    if (host.get(f) === before) continue;
    problems.push(`host file changed: ${f}: ${JSON.stringify(before.slice(0, 80))} -> ${JSON.stringify(host.get(f)?.slice(0, 80))}`);
    restoreHostFile(f, before);
  }
  const stray = strayFiles(w);
  problems.push(...stray.map((s) => `escaped write: ${s}`));

  // Put everything back so the next attack is judged on its own.
  w.targets.reset();
  for (const s of stray) rmSync(s.split(' ')[0] ?? s, { recursive: true, force: true });
  if (changes.length) restoreSnapshot(w.baseline, w.contents, after);
  restoreWorkspace(w.fx);
  // Nothing an attack left in the session's /tmp may set up the next one.
  for (const dir of w.sessionTmps) for (const name of readdirSync(dir)) rmSync(path.join(dir, name), { recursive: true, force: true });
  if (!alive(w.canary.pid)) w.canary = startCanaryProcess(w.fx.secrets.daemonEnvKey);
  if (problems.length) problems.push(`output: ${r.result.replace(/x{200,}/g, (m) => `<${m.length} x>`).slice(0, 600)}`);
  return problems;
}

beforeAll(async () => {
  const nonce = randomBytes(5).toString('hex');
  let fx: Fixture | null = null;
  const targets = await startHostTargets(nonce, () => fx?.secrets.daemonToken ?? '');
  fx = createFixture(targets.daemonPort, nonce);
  const sock = path.join(fx.hermesHome, 'daemon.sock');
  await targets.listenUnix(sock);
  // Stands in for the system bus socket (only where /run/dbus exists and we may write it).
  const dbusSock = `/run/dbus/hermes-canary-${nonce}.sock`;
  const dbusOk = await targets.listenUnix(dbusSock).then(
    () => true,
    () => false,
  );
  const canary = startCanaryProcess(fx.secrets.daemonEnvKey);
  // The sandbox hides paths under os.homedir(), which follows HOME.
  process.env.HOME = fx.home;
  const service = await SandboxService.start(fx.hermesHome);
  if (!service.probe.ok) {
    const reason = `bubblewrap does not work here: ${'reason' in service.probe ? service.probe.reason : JSON.stringify(service.probe)}`;
    canary.kill('SIGKILL');
    await targets.close();
    rmSync(fx.root, { recursive: true, force: true });
    rmSync(fx.hostTmpFile, { force: true });
    rmSync(dbusSock, { force: true });
    if (REQUIRED) throw new Error(`HERMES_SANDBOX_REQUIRED=1 but ${reason}`);
    skipReason = reason;
    console.warn(`[sandbox canary corpus] skipped: ${reason}`);
    return;
  }
  const config = HermesConfig.parse({ sandbox: { mode: 'on' } });
  // What the daemon hands its tools: its own environment minus provider keys (agent/tool-env.ts).
  const env = toolEnvironment(
    {
      PATH: '/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOME: fx.home,
      LANG: 'C.UTF-8',
      HERMES_HOME: fx.hermesHome,
      ANTHROPIC_API_KEY: fx.secrets.envKey,
      GITHUB_TOKEN: fx.secrets.toolEnvKey,
    },
    config,
  );
  const vars: Record<string, string> = {
    NONCE: nonce,
    OUT: fx.outsideFile,
    OUTDIR: path.dirname(fx.outsideFile),
    PWN: path.join(fx.root, `PWNED_host_${nonce}`),
    TCP: String(targets.tcpPort),
    UDP: String(targets.udpPort),
    DPORT: String(targets.daemonPort),
    ABS: targets.abstractName,
    SOCK: sock,
    DBUS_SOCK: dbusOk ? dbusSock : '/nonexistent/hermes-canary.sock',
    HOSTIP: targets.hostIps[0] ?? '127.0.0.2',
    CANARY_PID: String(canary.pid),
    TEST_PID: String(process.pid),
    REALHOME: REAL_HOME,
    B64: Buffer.from('rm -rf ~/.ssh; echo evil >> ~/.bashrc\n').toString('base64'),
    CLI,
  };
  const w: World = {
    fx,
    targets,
    canary,
    service,
    config,
    env,
    vars,
    a: service.forRun(config, 'ses_canary_a', fx.workspace),
    b: service.forRun(config, 'ses_canary_b', fx.workspace),
    sessionTmps: [],
    baseline: new Map(),
    gitBaseline: gitCanaries(fx),
    hostBaseline: hostFileContents(),
    contents: new Map(),
  };
  // Find each session's /tmp on the host by a marker written from inside (allowed to change).
  const marker = `.tmp-marker-${nonce}`;
  const ra = await exec(w, `echo a > /tmp/${marker}-a`, { sandbox: w.a });
  const rb = await exec(w, `ls -A /tmp; echo b > /tmp/${marker}-b`, { sandbox: w.b });
  if (!ra.ok || !rb.ok) throw new Error(`the sandbox probe passed but commands fail: ${ra.result} / ${rb.result}`);
  const find = execFileSync('find', [fx.root, '-name', `${marker}-*`])
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean);
  w.sessionTmps = find.map((f) => path.dirname(f));
  if (w.sessionTmps.length !== 2) throw new Error(`expected two session tmp dirs under the fixture, found: ${find.join(', ')}`);
  w.baseline = snapshot(fx.root, [fx.workspace, ...w.sessionTmps], w.contents);
  world = w;
}, 60_000);

afterAll(async () => {
  process.env.HOME = savedHome;
  if (!world) return;
  world.canary.kill('SIGKILL');
  await world.targets.close();
  rmSync(world.fx.root, { recursive: true, force: true });
  rmSync(world.fx.hostTmpFile, { force: true });
  rmSync(world.vars.DBUS_SOCK ?? '', { force: true });
});

function live(): World {
  if (!world) throw new Error('no world');
  return world;
}

describe('sandbox canary corpus (real bubblewrap)', () => {
  it('positive controls: the fixture is visible and the workspace works', async (t) => {
    if (!world) return t.skip(skipReason);
    const w = live();
    // The canaries are really there, unmasked, on the host.
    expect(readFileSync(path.join(w.fx.home, '.ssh/id_ed25519'), 'utf8')).toContain(w.fx.secrets.sshKey0);
    const write = await exec(w, 'echo written > inside.txt && mkdir -p d && echo deep > d/f && cat inside.txt');
    expect(write.result).toContain('written');
    expect(readFileSync(path.join(w.fx.workspace, 'd/f'), 'utf8')).toBe('deep\n');
    const commit = await exec(w, 'git add -A && git commit -qm "from the sandbox" && git log --oneline | head -3');
    expect(commit.ok, commit.result).toBe(true);
    expect(hostGit(w, ['log', '--format=%s', '-1']).trim()).toBe('from the sandbox');
    const tmp1 = await exec(w, `echo kept-${w.fx.nonce} > /tmp/kept`);
    expect(tmp1.ok).toBe(true);
    const tmp2 = await exec(w, 'cat /tmp/kept');
    expect(tmp2.result).toContain(`kept-${w.fx.nonce}`);
    const other = await exec(w, 'ls -A /tmp; cat /tmp/kept 2>&1', { sandbox: w.b });
    expect(other.result).not.toContain(`kept-${w.fx.nonce}`);
    expect(other.result).not.toContain('.tmp-marker-' + w.fx.nonce + '-a');
    // Siblings of hidden paths stay readable; the rest of HOME is there, read-only.
    const read = await exec(w, 'cat ~/notes.txt ~/.gitconfig ~/other-project/src.txt; ls -A ~');
    expect(read.result).toContain(`readable sibling ${w.fx.nonce}`);
    expect(read.result).toContain('Canary User');
    expect(read.result).toContain(`other project ${w.fx.nonce}`);
    // The network tools work inside (their own loopback), so failures below are the isolation.
    const server = await exec(
      w,
      `python3 -m http.server 18765 --bind 127.0.0.1 >/dev/null 2>&1 & for i in $(seq 50); do curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:18765/ && break; sleep 0.1; done; kill %1`,
    );
    expect(server.result).toContain('200');
    // The host listeners do count what reaches them.
    await new Promise<void>((resolve) => {
      const s = net.connect(w.targets.tcpPort, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
    });
    for (const sock of [w.vars.SOCK, w.vars.DBUS_SOCK]) {
      if (!sock || !existsSync(sock)) continue;
      await new Promise<void>((resolve) =>
        net
          .connect(sock)
          .on('connect', resolve)
          .on('error', () => resolve()),
      );
    }
    expect(
      await within(2000, () => w.targets.hits().length >= (existsSync(w.vars.DBUS_SOCK ?? '') ? 3 : 2)),
      w.targets.hits().join(', '),
    ).not.toBeNull();
    w.targets.reset();
    restoreWorkspace(w.fx);
    // Nothing of this touched the fixture outside the workspace.
    expect(diffSnapshots(w.baseline, snapshot(w.fx.root, [w.fx.workspace, ...w.sessionTmps]))).toEqual([]);
  }, 60_000);

  const held = CORPUS.filter((a) => !a.knownEscape);
  const groups = [...new Set(held.map((a) => a.group))];
  it('has a corpus of at least 80 commands', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(80);
    const byGroup = groups.map((g) => `${g}: ${held.filter((a) => a.group === g).length}`).join(', ');
    console.log(`[sandbox canary corpus] ${CORPUS.length} attacks (${byGroup}; known escapes: ${CORPUS.length - held.length})`);
  });
  for (const group of groups) {
    it(`holds: ${group}`, async (t) => {
      if (!world) return t.skip(skipReason);
      const w = live();
      const failures: string[] = [];
      for (const at of held.filter((a) => a.group === group)) {
        const problems = await attack(w, at);
        const shown = fill(at.command, w.vars).replace(/x{200,}/g, (m) => `<${m.length} x>`);
        if (problems.length) failures.push(`${at.name}\n  $ ${shown.split('\n').join('\n    ')}\n  - ${problems.join('\n  - ')}`);
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    }, 120_000);
  }

  // Found by this corpus and not fixed: expected to fail until they are (see the attack's note).
  for (const at of CORPUS.filter((a) => a.knownEscape)) {
    it.fails(
      `KNOWN ESCAPE (${at.group}): ${at.name}: ${at.knownEscape}`,
      async () => {
        if (!world) throw new Error(skipReason);
        const problems = await attack(live(), at);
        expect(problems, problems.join('\n')).toEqual([]);
      },
      60_000,
    );
  }

  it('a background setsid/nohup process does not outlive the command', async (t) => {
    if (!world) return t.skip(skipReason);
    const w = live();
    const mark = `hermes-bg-${w.fx.nonce}`;
    let seen = false;
    const r = await exec(
      w,
      `setsid nohup bash -c 'exec -a ${mark}-1 sleep 300' >/dev/null 2>&1 & (trap '' TERM HUP; exec -a ${mark}-2 sleep 300) >/dev/null 2>&1 & disown -a; sleep 0.5; echo spawned; sleep 1`,
      {
        onOutput: (text) => {
          if (text.includes('spawned')) seen = hostProcessesWith(mark).length >= 2;
        },
      },
    );
    expect(r.result).toContain('spawned');
    expect(seen, 'the host saw the background processes while the command ran').toBe(true);
    const gone = await within(5000, () => hostProcessesWith(mark).length === 0);
    console.log(`[sandbox canary corpus] background processes gone ${gone} ms after the command ended`);
    expect(gone, `survivors: ${hostProcessesWith(mark).join(', ')}`).not.toBeNull();
  }, 60_000);

  it('a cancel ends every process, setsid and TERM-ignoring ones too', async (t) => {
    if (!world) return t.skip(skipReason);
    const w = live();
    const mark = `hermes-cancel-${w.fx.nonce}`;
    const ac = new AbortController();
    let ready = false;
    const run = exec(
      w,
      `setsid nohup bash -c "trap '' TERM HUP INT; exec -a ${mark}-1 sleep 300" >/dev/null 2>&1 & (trap '' TERM; exec -a ${mark}-2 sleep 300) & trap '' TERM; echo ready; exec -a ${mark}-3 sleep 300`,
      {
        signal: ac.signal,
        onOutput: (text) => {
          if (text.includes('ready')) ready = true;
        },
      },
    );
    expect(await within(15_000, () => ready && hostProcessesWith(mark).length >= 3), 'the processes started').not.toBeNull();
    const t0 = Date.now();
    ac.abort();
    const r = await run;
    const returned = Date.now() - t0;
    const gone = await within(5000, () => hostProcessesWith(mark).length === 0);
    console.log(`[sandbox canary corpus] cancel: the tool returned after ${returned} ms, processes gone ${gone} ms later`);
    expect(r.ok).toBe(false);
    expect(gone, `survivors: ${hostProcessesWith(mark).join(', ')}`).not.toBeNull();
    expect(alive(w.canary.pid)).toBe(true);
  }, 60_000);

  it('ran against a world that is still intact', async (t) => {
    if (!world) return t.skip(skipReason);
    const w = live();
    await sleep(0);
    expect(diffSnapshots(w.baseline, snapshot(w.fx.root, [w.fx.workspace, ...w.sessionTmps]))).toEqual([]);
    expect(strayFiles(w)).toEqual([]);
  });
});
