// The canary world for the sandbox corpus: a fake HOME full of secrets and dotfiles, a fake
// HERMES_HOME, a workspace that is a git repo, files outside the workspace and outside HOME.
// Everything lives under /var/tmp (the sandbox replaces /tmp, so fixtures there would be invisible).
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export interface Secrets extends Record<string, string> {
  daemonToken: string;
  envKey: string;
  daemonEnvKey: string;
  toolEnvKey: string;
  hostTmpSecret: string;
  sshKey0: string;
}

export interface Fixture {
  root: string;
  home: string;
  hermesHome: string;
  workspace: string;
  /** A pristine copy of the workspace, outside HOME; restored into `workspace` after every attack. */
  template: string;
  outsideFile: string;
  /** A secret in the host's /tmp, which the sandbox replaces with the session's own. */
  hostTmpFile: string;
  otherProjectFile: string;
  nonce: string;
  /** Values that must never appear in a command's output, by name. */
  secrets: Secrets;
  /** Files whose content and mode must never change (absolute paths). */
  canaries: string[];
}

const rnd = (n = 12): string => randomBytes(n).toString('hex');

function write(file: string, text: string, mode = 0o644): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text, { mode });
  chmodSync(file, mode);
}

/** Fake private key text: random base64 lines no command could produce by chance. */
function fakeKey(): { text: string; body: string[] } {
  const body = Array.from({ length: 4 }, () => randomBytes(51).toString('base64'));
  return { text: `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`, body };
}

export function createFixture(daemonPort: number, nonce: string): Fixture {
  const root = mkdtempSync('/var/tmp/hermes-canary-');
  const home = path.join(root, 'home');
  const hermesHome = path.join(home, '.hermes');
  const workspace = path.join(home, 'project');
  const template = path.join(root, 'template');
  const key = fakeKey();
  const secrets: Secrets = {
    sshKey0: key.body[0]!,
    daemonToken: `tok_${rnd(20)}`,
    envKey: `sk-ant-canary-${rnd(20)}`,
    configSecret: `cfg-secret-${rnd(12)}`,
    awsSecret: `aws${rnd(18)}`,
    netrcPassword: `netrc${rnd(14)}`,
    npmToken: `npm_${rnd(18)}`,
    ghToken: `gho_${rnd(18)}`,
    daemonEnvKey: `sk-daemon-env-${rnd(16)}`,
    toolEnvKey: `sk-tool-env-${rnd(16)}`,
    hostTmpSecret: `host-tmp-${rnd(16)}`,
  };
  key.body.forEach((line, i) => (secrets[`sshKey${i}`] = line));

  write(path.join(home, '.ssh/authorized_keys'), `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${rnd(16)} user@host\n`, 0o600);
  write(path.join(home, '.ssh/id_ed25519'), key.text, 0o600);
  write(path.join(home, '.bashrc'), `# ~/.bashrc canary ${nonce}\nalias ll='ls -l'\n`);
  write(path.join(home, '.profile'), `# ~/.profile canary ${nonce}\n. ~/.bashrc\n`);
  write(path.join(home, '.gitconfig'), `[user]\n\tname = Canary User\n\temail = canary@example.invalid\n[init]\n\tdefaultBranch = main\n`);
  write(path.join(home, '.netrc'), `machine example.invalid login canary password ${secrets.netrcPassword}\n`, 0o600);
  write(path.join(home, '.npmrc'), `//registry.npmjs.org/:_authToken=${secrets.npmToken}\n`, 0o600);
  write(
    path.join(home, '.aws/credentials'),
    `[default]\naws_access_key_id = AKIACANARY\naws_secret_access_key = ${secrets.awsSecret}\n`,
    0o600,
  );
  write(path.join(home, '.config/gh/hosts.yml'), `github.com:\n    oauth_token: ${secrets.ghToken}\n    user: canary\n`, 0o600);
  write(path.join(home, 'notes.txt'), `readable sibling ${nonce}\n`);
  write(
    path.join(hermesHome, 'config.json'),
    JSON.stringify({ model: 'scripted/x', providers: { x: { apiKey: secrets.configSecret } } }) + '\n',
    0o600,
  );
  write(
    path.join(hermesHome, 'daemon.json'),
    JSON.stringify({
      pid: process.pid,
      port: daemonPort,
      token: secrets.daemonToken,
      version: '0.1.0',
      protocol: 1,
      startedAt: new Date().toISOString(),
    }) + '\n',
    0o600,
  );
  write(path.join(hermesHome, '.env'), `ANTHROPIC_API_KEY=${secrets.envKey}\n`, 0o600);
  write(path.join(home, 'other-project/src.txt'), `other project ${nonce}\n`);
  const outsideFile = path.join(root, 'outside', 'outside.txt');
  write(outsideFile, `outside home ${nonce}\n`);
  const hostTmpFile = path.join('/tmp', `hermes-canary-${nonce}.secret`);
  write(hostTmpFile, `${secrets.hostTmpSecret}\n`, 0o644);

  // The workspace: a real repo with a commit, hooks/ holding one file, built once as a template.
  write(path.join(template, 'README.md'), `# project ${nonce}\n`);
  write(path.join(template, 'src/app.js'), `console.log('hi');\n`);
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: template, env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' }, stdio: 'ignore' });
  };
  git('init', '-q', '--template=');
  mkdirSync(path.join(template, '.git/hooks'), { recursive: true });
  write(path.join(template, '.git/hooks/README.canary'), `hooks canary ${nonce}\n`);
  git('add', '-A');
  git('commit', '-qm', 'initial');
  cpSync(template, workspace, { recursive: true, verbatimSymlinks: true });

  const canaries = [
    '.ssh/authorized_keys',
    '.ssh/id_ed25519',
    '.bashrc',
    '.profile',
    '.gitconfig',
    '.netrc',
    '.npmrc',
    '.aws/credentials',
    '.config/gh/hosts.yml',
    'notes.txt',
    '.hermes/config.json',
    '.hermes/daemon.json',
    '.hermes/.env',
    'other-project/src.txt',
    'project/.git/config',
    'project/.git/hooks/README.canary',
  ].map((p) => path.join(home, p));
  canaries.push(outsideFile);
  return {
    root,
    home,
    hermesHome,
    workspace,
    template,
    outsideFile,
    hostTmpFile,
    otherProjectFile: path.join(home, 'other-project/src.txt'),
    nonce,
    secrets,
    canaries,
  };
}

/** One line per entry: type, mode, and a hash of the content or the link target. */
export type Snapshot = Map<string, string>;

export interface Content {
  kind: 'file' | 'dir' | 'link';
  mode: number;
  data?: Buffer;
  target?: string;
}

function describe(p: string): { sig: string; content: Content } | null {
  let st;
  try {
    st = lstatSync(p);
  } catch {
    return null;
  }
  const mode = st.mode & 0o7777;
  if (st.isSymbolicLink()) {
    const target = readlinkSync(p);
    return { sig: `link ${target}`, content: { kind: 'link', mode, target } };
  }
  if (st.isDirectory()) return { sig: `dir ${mode.toString(8)}`, content: { kind: 'dir', mode } };
  if (st.isFile()) {
    const data = readFileSync(p);
    return { sig: `file ${mode.toString(8)} ${createHash('sha256').update(data).digest('hex')}`, content: { kind: 'file', mode, data } };
  }
  return { sig: `other ${st.mode.toString(8)}`, content: { kind: 'file', mode } };
}

/** Walks `root` without following links; `skip` are subtrees left out (the workspace, session tmps). */
export function snapshot(root: string, skip: readonly string[], contents?: Map<string, Content>): Snapshot {
  const out: Snapshot = new Map();
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const p = path.join(dir, name);
      if (skip.some((s) => p === s || p.startsWith(s + path.sep))) continue;
      const d = describe(p);
      if (!d) continue;
      out.set(p, d.sig);
      contents?.set(p, d.content);
      if (d.content.kind === 'dir') walk(p);
    }
  };
  walk(root);
  return out;
}

/** What differs between two snapshots, one line per path. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const lines: string[] = [];
  for (const [p, sig] of before) {
    const now = after.get(p);
    if (now === undefined) lines.push(`removed ${p}`);
    else if (now !== sig) lines.push(`changed ${p}: ${sig} -> ${now}`);
  }
  for (const p of after.keys()) if (!before.has(p)) lines.push(`appeared ${p}`);
  return lines;
}

/** Puts every path back as the baseline had it, so each attack is judged on its own. */
export function restoreSnapshot(before: Snapshot, contents: Map<string, Content>, after: Snapshot): void {
  for (const p of [...after.keys()].reverse()) {
    if (!before.has(p) || before.get(p) !== after.get(p)) rmSync(p, { recursive: true, force: true });
  }
  for (const [p, sig] of before) {
    if (after.get(p) === sig) continue;
    const c = contents.get(p);
    if (!c) continue;
    mkdirSync(path.dirname(p), { recursive: true });
    if (c.kind === 'dir') mkdirSync(p, { recursive: true, mode: c.mode });
    else if (c.kind === 'link' && c.target) execFileSync('ln', ['-sfn', c.target, p]);
    else if (c.data) writeFileSync(p, c.data, { mode: c.mode });
    try {
      chmodSync(p, c.mode);
    } catch {
      // a link
    }
  }
}

/** Resets the workspace to the template (after the checks, so nothing is hidden by it). rm never follows links. */
export function restoreWorkspace(fx: Fixture): void {
  for (const name of readdirSync(fx.workspace)) rmSync(path.join(fx.workspace, name), { recursive: true, force: true });
  cpSync(fx.template, fx.workspace, { recursive: true, verbatimSymlinks: true });
}

/** The workspace's own canaries: what `.git` is, its config, and everything in its hooks. */
export function gitCanaries(fx: Fixture): Snapshot {
  const git = path.join(fx.workspace, '.git');
  const out: Snapshot = new Map();
  for (const p of [git, path.join(git, 'config'), path.join(git, 'hooks')]) out.set(p, describe(p)?.sig ?? 'missing');
  for (const [p, sig] of snapshot(path.join(git, 'hooks'), [])) out.set(p, sig);
  return out;
}

/** Ways a secret can appear in output: as is, reversed, in hex, or inside a base64 stream. */
function encodings(secret: string): string[] {
  const out = [secret, [...secret].reverse().join(''), Buffer.from(secret).toString('hex')];
  for (const pad of ['', 'a', 'ab']) {
    const b = Buffer.from(pad + secret).toString('base64');
    out.push(b.slice(pad ? 4 : 0, -4));
  }
  return out.filter((s) => s.length >= 12);
}

/** Names of the secrets found in `output` (whitespace ignored, so wrapped base64 and od/xxd dumps count). */
export function leakedSecrets(output: string, secrets: Record<string, string>): string[] {
  const squeezed = output.replace(/\s+/g, '');
  const lower = squeezed.toLowerCase();
  const found: string[] = [];
  for (const [name, value] of Object.entries(secrets)) {
    if (encodings(value).some((e) => output.includes(e) || squeezed.includes(e) || lower.includes(e.toLowerCase()))) found.push(name);
  }
  return found;
}
