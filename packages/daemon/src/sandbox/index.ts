import { randomBytes } from 'node:crypto';
import { access, constants, lstat, mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HermesConfig, SandboxMode, SandboxStatus } from '@hermes/protocol';
import { bwrapArgs, bwrapProgramArgs } from './bwrap.js';
import { gitUndoNote, snapshotGit, undoGitChanges } from './git-guard.js';
import { sandboxEnvironment } from './env.js';
import { DEFAULT_HIDDEN, defaultRuntimeDir, resolveLayout } from './layout.js';
import { defaultScratch, probeSandbox, type ProbeResult } from './probe.js';
import { programReadOnly } from './program-paths.js';
import { seatbeltArgs } from './seatbelt.js';

export { classifyBwrapFailure, probeSandbox, type ProbeResult } from './probe.js';
export { bwrapArgs } from './bwrap.js';
export { seatbeltArgs, seatbeltProfile } from './seatbelt.js';
export { resolveLayout, DEFAULT_HIDDEN, type SandboxLayout } from './layout.js';
export { sandboxEnvironment } from './env.js';

/** How to start one command: the program and its argv, ready for `spawn`. */
export interface SpawnPlan {
  file: string;
  args: string[];
  env: Record<string, string>;
  kind: 'bwrap' | 'seatbelt';
  /**
   * Called once the command and everything it started have ended: undoes what it did to git's
   * trusted files (git-guard.ts) and returns the note for the tool result, if any.
   */
  settle: () => Promise<string | null>;
}

export type Preparation =
  /** `plan: null`: run it unconfined, as without a sandbox. */
  { ok: true; plan: SpawnPlan | null } | { ok: false; message: string };

/** The sandbox as one run sees it (its config, its session, its workspace). */
export interface CommandSandbox {
  /** Commands run confined (the policy then asks only about flagged ones). */
  readonly active: boolean;
  readonly network: boolean;
  prepare(command: string, cwd: string, env: Readonly<Record<string, string | undefined>>): Promise<Preparation>;
}

const READ_ONLY_IN_WORKSPACE = ['.git/hooks', '.git/config'];

/** A real directory at `p` (a link or file there, planted from inside, is removed first). */
async function privateDir(p: string): Promise<void> {
  const st = await lstat(p).catch(() => null);
  if (st?.isDirectory()) return;
  if (st) await rm(p, { force: true });
  await mkdir(p, { mode: 0o700 });
}

export function sandboxMode(config: HermesConfig): SandboxMode {
  return config.sandbox?.mode ?? 'auto';
}

/**
 * The daemon's sandbox: probed once at start (by running a real command in it), then handed
 * to each run with that run's config.
 */
export class SandboxService {
  private constructor(
    private readonly home: string,
    readonly probe: ProbeResult,
    private readonly shell: string,
  ) {}

  static async start(home: string, probe?: ProbeResult): Promise<SandboxService> {
    const scratch = defaultScratch(home);
    await mkdir(scratch, { recursive: true, mode: 0o700 });
    await writeFile(path.join(scratch, 'empty'), '', { mode: 0o400 }).catch(() => {});
    const result =
      probe ??
      (await probeSandbox(scratch).catch(
        (e: unknown): ProbeResult => ({ ok: false, kind: 'none', reason: `the sandbox probe failed: ${(e as Error).message}`, hint: '' }),
      ));
    const shell = await access('/bin/bash', constants.X_OK).then(
      () => '/bin/bash',
      () => '/bin/sh',
    );
    return new SandboxService(home, result, shell);
  }

  private readonly notified = new Set<string>();

  /**
   * In `auto` mode without a working sandbox, once per session: why, and how to get one (the
   * policy then asks about every command that is not read-only).
   */
  fallbackNotice(config: HermesConfig, sessionId: string): string | null {
    if (sandboxMode(config) !== 'auto' || this.probe.ok || this.notified.has(sessionId)) return null;
    this.notified.add(sessionId);
    return `Commands run without a sandbox: ${this.probe.reason}. Every command that is not read-only will ask first. ${this.probe.hint}`.trim();
  }

  status(config: HermesConfig): SandboxStatus {
    const mode = sandboxMode(config);
    const p = this.probe;
    const active = mode !== 'off' && p.ok;
    const home = os.homedir();
    const approvals = config.approvals?.mode ?? 'ask';
    const policy = active
      ? 'commands run in the sandbox without asking unless flagged as dangerous'
      : mode === 'on'
        ? 'terminal commands are refused (sandbox.mode is on and no sandbox works)'
        : approvals === 'auto'
          ? 'no sandbox: only commands flagged as dangerous ask (approvals.mode auto, weaker)'
          : approvals === 'yolo'
            ? 'no sandbox and approvals.mode yolo: nothing asks (only the hardline list is refused)'
            : 'no sandbox: every command that is not on the read-only list asks';
    return {
      mode,
      kind: p.kind,
      active,
      ...(active ? {} : { reason: mode === 'off' ? 'sandbox.mode is off' : p.ok ? undefined : p.reason }),
      ...(active || mode === 'off' || p.ok ? {} : { hint: p.hint }),
      ...(p.version ? { version: p.version } : {}),
      network: config.sandbox?.network ?? false,
      writable: ['the session workspace', 'a private /tmp', ...(config.sandbox?.writable ?? [])],
      hidden: [this.home, ...DEFAULT_HIDDEN.map((h) => h.replace(/^~/, home)), ...(config.sandbox?.hidden ?? [])],
      readOnly: READ_ONLY_IN_WORKSPACE,
      policy,
    };
  }

  /**
   * Wraps a long-running program (an MCP server) in the same sandbox as terminal commands, with
   * its workspace as the folder: null when commands run unconfined, an error when they must not
   * run at all. Linux only for now: Seatbelt needs no wrapping decision of its own yet.
   */
  async wrapProgram(
    config: HermesConfig,
    sessionId: string,
    workspace: string,
    program: { command: string; args: string[]; env: Record<string, string>; cwd?: string },
  ): Promise<{ command: string; args: string[]; env: Record<string, string> } | { error: string } | null> {
    const mode = sandboxMode(config);
    if (mode === 'off') return null;
    if (!this.probe.ok) return mode === 'on' ? { error: `sandbox.mode is on and no sandbox works here (${this.probe.reason})` } : null;
    const tmp = path.join(defaultScratch(this.home), 'tmp', sessionId);
    await mkdir(tmp, { recursive: true, mode: 0o700 });
    const r = await resolveLayout({
      workspace,
      cwd: workspace,
      tmp,
      hermesHome: this.home,
      home: os.homedir(),
      writable: config.sandbox?.writable ?? [],
      hidden: config.sandbox?.hidden ?? [],
      network: config.sandbox?.network ?? false,
      runtimeDir: defaultRuntimeDir(),
    });
    if (!r.ok) return { error: `cannot be sandboxed: ${r.reason}` };
    const cwd = program.cwd ? await realpath(program.cwd).catch(() => null) : null;
    if (program.cwd && !cwd) return { error: `its folder ${program.cwd} does not exist` };
    const shadowed = await realpath('/tmp').catch(() => '/tmp');
    const layout = {
      ...r.layout,
      ...(cwd ? { cwd } : {}),
      programReadOnly: await programReadOnly(program, program.env.PATH ?? process.env.PATH, shadowed),
    };
    const env = { ...sandboxEnvironment(program.env, r.layout.network), ...program.env, TMPDIR: '/tmp' };
    if (this.probe.kind === 'seatbelt')
      return { command: this.probe.program, args: seatbeltArgs(layout, program.command, '').slice(0, -2).concat(program.args), env };
    return {
      command: this.probe.program,
      args: bwrapProgramArgs(layout, path.join(defaultScratch(this.home), 'empty'), [program.command, ...program.args], false),
      env,
    };
  }

  forRun(config: HermesConfig, sessionId: string, workspace: string): CommandSandbox {
    const mode = sandboxMode(config);
    const probe = this.probe;
    const active = mode !== 'off' && probe.ok;
    const network = config.sandbox?.network ?? false;
    // Under bubblewrap the session tmp is bound at /tmp. Seatbelt cannot re-map paths, and a
    // folder inside the hidden HERMES_HOME would stay denied (last match wins): use the system's.
    const tmp =
      probe.kind === 'seatbelt'
        ? path.join(os.tmpdir(), `hermes-sandbox-${os.userInfo().uid}`, sessionId)
        : path.join(defaultScratch(this.home), 'tmp', sessionId);
    const empty = path.join(defaultScratch(this.home), 'empty');
    const home = os.homedir();
    const shell = this.shell;
    const hermesHome = this.home;
    return {
      active,
      network,
      async prepare(command, cwd, env) {
        if (!active) {
          if (mode === 'on') {
            const why = probe.ok ? 'sandbox.mode is on' : probe.reason;
            return {
              ok: false,
              message: `Not run: sandbox.mode is on and no sandbox works here (${why}). ${probe.ok ? '' : probe.hint}`.trim(),
            };
          }
          return { ok: true, plan: null };
        }
        // The session's tmp is the commands' to write: what the daemon puts there must not follow
        // a link an earlier command planted (`ln -s ~/.bashrc /tmp/<the next name>` would have had
        // the daemon write the next command over ~/.bashrc), nor trip over one (a dangling
        // .xdg-runtime link made every later command of the session fail).
        try {
          await mkdir(tmp, { recursive: true, mode: 0o700 });
          await privateDir(path.join(tmp, '.xdg-runtime'));
        } catch (e) {
          return { ok: false, message: `Not run: the sandbox's /tmp could not be prepared: ${(e as Error).message}` };
        }
        // One argument may not exceed 128 KiB (MAX_ARG_STRLEN): a huge command goes through a file.
        let script = command;
        if (Buffer.byteLength(command) > 100_000) {
          const name = `.hermes-command-${randomBytes(12).toString('hex')}.sh`;
          try {
            // `wx`: created here or not at all (O_EXCL never follows a link).
            await writeFile(path.join(tmp, name), command, { mode: 0o600, flag: 'wx' });
          } catch (e) {
            return { ok: false, message: `Not run: the command could not be written to the sandbox's /tmp: ${(e as Error).message}` };
          }
          script = `. ${probe.kind === 'seatbelt' ? path.join(tmp, name) : `/tmp/${name}`}`;
        }
        const r = await resolveLayout({
          workspace,
          cwd,
          tmp,
          hermesHome,
          home,
          writable: config.sandbox?.writable ?? [],
          hidden: config.sandbox?.hidden ?? [],
          network,
          runtimeDir: defaultRuntimeDir(),
        });
        if (!r.ok) return { ok: false, message: `Not run: the command cannot be sandboxed: ${r.reason}.` };
        const before = await snapshotGit(r.layout.workspace, r.git);
        const settle = async (): Promise<string | null> => gitUndoNote(await undoGitChanges(before));
        const plan: SpawnPlan =
          probe.kind === 'seatbelt'
            ? {
                kind: 'seatbelt',
                file: probe.program!,
                args: seatbeltArgs(r.layout, shell, script),
                env: sandboxEnvironment(env, network, tmp),
                settle,
              }
            : {
                kind: 'bwrap',
                file: probe.program!,
                args: bwrapArgs(r.layout, empty, shell, script),
                env: sandboxEnvironment(env, network),
                settle,
              };
        return { ok: true, plan };
      },
    };
  }
}
