import { ChildProcess, spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import * as z from 'zod';
import { Coalescer, HeadTailBuffer, PrintableDecoder } from './output.js';
import { displayPath, fsErrorMessage, jsonSchemaOf, resolvePath } from './common.js';
import { markedSpawn, trackToolProcess } from './processes.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const DEFAULT_TIMEOUT_S = 180;
export const MAX_TIMEOUT_S = 600;
/** What the model sees of the output: head and tail kept, the middle counted. */
const HEAD_CHARS = 20_000;
const TAIL_CHARS = 30_000;
/** Live streaming stops after this much (the event log would otherwise grow without bound). */
const MAX_STREAM_CHARS = 2 * 1024 * 1024;
/** Grace between SIGTERM and SIGKILL to the process group. */
const KILL_GRACE_MS = 500;
/** After the shell exits, how long background children may hold the pipes before we stop reading. */
const DRAIN_MS = 250;

const Args = z.strictObject({
  command: z.string().min(1, 'command must not be empty').describe('The shell command to run (bash -c).'),
  timeout: z
    .number()
    .positive()
    .optional()
    .describe(`Seconds before the command is killed (default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S}).`),
  workdir: z.string().min(1).optional().describe('Folder to run in, relative to the workspace (default: the workspace).'),
  sandbox: z
    .boolean()
    .optional()
    .describe(
      'Commands run in a sandbox: they can write only the workspace and /tmp, cannot read credentials, and have no network. ' +
        'Set false to run this one command outside the sandbox, only when it needs the network or paths outside the workspace ' +
        '(and failed in the sandbox because of that). The user is always asked first.',
    ),
});
type Args = z.infer<typeof Args>;

/** Sends a signal to a whole process group; a group already gone is fine. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function spawnProcess(file: string, argv: string[], cwd: string, env: ToolContext['env'], statusFd: boolean): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // Its own process group and session (detached), so a cancel can kill everything it started
    // and the daemon can recognise its descendants (`tool/processes.ts`).
    const marked = markedSpawn(file, argv);
    const child = spawn(marked.file, marked.args, {
      cwd,
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: statusFd ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
    });
    const onError = (e: Error): void => reject(e);
    child.once('error', onError);
    child.once('spawn', () => {
      child.off('error', onError);
      trackToolProcess(child.pid);
      resolve(child);
    });
  });
}

async function startUnconfined(command: string, cwd: string, env: ToolContext['env']): Promise<ChildProcess | ToolResult> {
  try {
    return await spawnProcess('bash', ['-c', command], cwd, env, false);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      return { ok: false, result: `Could not start the command: ${(e as Error).message}`, exitCode: null };
    try {
      return await spawnProcess('sh', ['-c', command], cwd, env, false);
    } catch (e2) {
      return { ok: false, result: `Could not start a shell (bash or sh): ${(e2 as Error).message}`, exitCode: null };
    }
  }
}

async function run(args: Args, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.signal.aborted) return { ok: false, result: 'Cancelled before the command started.', exitCode: null };
  const cwd = args.workdir ? resolvePath(ctx.workspace, args.workdir, ctx.env) : ctx.workspace;
  try {
    if (!(await stat(cwd)).isDirectory())
      return { ok: false, result: `workdir ${displayPath(ctx.workspace, cwd)} is not a directory`, exitCode: null };
  } catch (e) {
    return { ok: false, result: `workdir: ${fsErrorMessage(e, displayPath(ctx.workspace, cwd))}`, exitCode: null };
  }
  let timeoutS = args.timeout ?? DEFAULT_TIMEOUT_S;
  const notes: string[] = [];
  if (timeoutS > MAX_TIMEOUT_S) {
    notes.push(`[timeout capped at ${MAX_TIMEOUT_S} s]`);
    timeoutS = MAX_TIMEOUT_S;
  }

  // `sandbox: false` was approved by the user (the policy always asks for it).
  const prepared =
    ctx.sandbox && args.sandbox !== false ? await ctx.sandbox.prepare(args.command, cwd, ctx.env) : ({ ok: true, plan: null } as const);
  if (!prepared.ok) return { ok: false, result: prepared.message, exitCode: null };
  const plan = prepared.plan;
  let child: ChildProcess;
  if (plan) {
    try {
      child = await spawnProcess(plan.file, plan.args, cwd, plan.env, plan.kind === 'bwrap');
    } catch (e) {
      return { ok: false, result: `Could not start the sandbox (${plan.file}): ${(e as Error).message}`, exitCode: null };
    }
  } else {
    const started = await startUnconfined(args.command, cwd, ctx.env);
    if (!(started instanceof ChildProcess)) return started;
    child = started;
  }
  // bubblewrap reports on fd 3 whether the command itself ran (`exit-code`), which tells its
  // own set-up failures apart from the command's exit status.
  let sandboxStatus = '';
  (child.stdio[3] as NodeJS.ReadableStream | null | undefined)?.on('data', (b: Buffer) => {
    if (sandboxStatus.length < 4096) sandboxStatus += b.toString();
  });

  const captured = new HeadTailBuffer(HEAD_CHARS, TAIL_CHARS);
  // One decoder per stream (a multi-byte character may span chunks); merged in arrival order.
  const outDecoder = new PrintableDecoder();
  const errDecoder = new PrintableDecoder();
  let streamed = 0;
  const coalescer = new Coalescer((text) => {
    try {
      ctx.onOutput(text);
    } catch {
      // A failing listener must not break the command.
    }
  });
  const take = (text: string): void => {
    if (!text) return;
    captured.write(text);
    if (streamed < MAX_STREAM_CHARS) {
      const piece = text.slice(0, MAX_STREAM_CHARS - streamed);
      streamed += piece.length;
      coalescer.push(piece);
      if (streamed >= MAX_STREAM_CHARS) coalescer.push('\n[… live output paused; the result keeps the head and tail …]\n');
    }
  };
  child.stdout?.on('data', (b: Buffer) => take(outDecoder.write(b)));
  child.stderr?.on('data', (b: Buffer) => take(errDecoder.write(b)));

  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (killTimer) return;
    killGroup(child, 'SIGTERM');
    killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
  };
  const onAbort = (): void => {
    cancelled = true;
    stop();
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const timeoutTimer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutS * 1000);

  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (drainTimer) clearTimeout(drainTimer);
      resolve(exit ?? { code: null, signal: null });
    };
    child.once('close', (c: number | null, s: NodeJS.Signals | null) => {
      exit ??= { code: c, signal: s };
      finish();
    });
    child.once('exit', (c: number | null, s: NodeJS.Signals | null) => {
      exit = { code: c, signal: s };
      // Background children (`server &`) may keep the pipes open: stop waiting for them.
      drainTimer = setTimeout(
        () => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish();
        },
        killTimer ? 50 : DRAIN_MS,
      );
    });
  });

  clearTimeout(timeoutTimer);
  ctx.signal.removeEventListener('abort', onAbort);
  if (killTimer) {
    // The shell is gone; make sure nothing it started in its group survives a cancel or timeout.
    killGroup(child, 'SIGKILL');
    clearTimeout(killTimer);
  }
  take(outDecoder.end());
  take(errDecoder.end());
  coalescer.flush();
  if (plan) {
    const undone = await plan
      .settle()
      .catch((e: unknown) => `[sandbox: could not check git's files after the command: ${(e as Error).message}]`);
    if (undone) notes.push(undone);
  }

  let text = captured.toString();
  if (plan?.kind === 'bwrap' && !/"exit-code"/.test(sandboxStatus) && !cancelled && !timedOut) {
    return {
      ok: false,
      result: `The sandbox could not start the command:\n${text.trim() || '(no output)'}\n[run \`hermes sandbox status\` to check the sandbox]`,
      exitCode: null,
    };
  }
  if (!text.trim()) text = '(no output)';
  if (text.length && !text.endsWith('\n')) text += '\n';
  if (timedOut) notes.push(`[timed out after ${timeoutS} s; the command and its children were killed]`);
  else if (cancelled) notes.push('[cancelled; the command and its children were killed]');
  if (code !== null) notes.push(`[exit code: ${code}]`);
  else if (signal) notes.push(`[killed by signal ${signal}]`);
  if (plan && code !== 0 && !cancelled && !timedOut) {
    const hint = sandboxHint(text, ctx.sandbox?.network ?? false);
    if (hint) notes.push(hint);
  }
  return { ok: code === 0 && !timedOut && !cancelled, result: text + notes.join('\n'), exitCode: code };
}

/**
 * After a failed sandboxed command, name the likely cause and the way out, as Codex does; the
 * model decides whether to retry (and the user is asked if it does).
 */
export function sandboxHint(output: string, network: boolean): string | null {
  if (
    !network &&
    /EAI_AGAIN|ENOTFOUND|Could not resolve host|Temporary failure in name resolution|Network is unreachable|getaddrinfo|Connection refused/i.test(
      output,
    )
  ) {
    return '[sandbox: the network is off inside the sandbox; if this command needs it, run it again with sandbox: false (the user is asked first)]';
  }
  if (/Read-only file system|Device or resource busy|Permission denied|Operation not permitted/i.test(output)) {
    return '[sandbox: commands can write only the workspace and /tmp, and .git/hooks, .git/config and credentials are protected; if this command must write elsewhere, run it again with sandbox: false (the user is asked first)]';
  }
  return null;
}

export const terminalTool: Tool<typeof Args> = {
  name: 'terminal',
  description:
    'Run a shell command (bash -c) in the workspace and return its combined stdout/stderr and exit code. ' +
    'Non-interactive: stdin is closed, so use flags like -y / --yes. Long output keeps its head and tail. ' +
    `Default timeout ${DEFAULT_TIMEOUT_S} s (max ${MAX_TIMEOUT_S}). Prefer read_file / search_files / patch for files.`,
  parameters: jsonSchemaOf(Args),
  readOnly: false,
  argsSchema: Args,
  summarize: (args) => {
    const lines = args.command.trim().split('\n');
    return lines[0]! + (lines.length > 1 ? ' …' : '');
  },
  touches: (args) => (args.workdir ? { path: args.workdir, access: 'cwd' } : undefined),
  execute: run,
};
