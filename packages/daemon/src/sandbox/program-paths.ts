import { access, constants, lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from './layout.js';

/**
 * What a long-running program (an MCP server) needs to see of the host's /tmp, which the sandbox
 * replaces with the session's own: a server checked out or installed under /tmp (a clone, a test
 * run) would otherwise not find its own files. Read-only, and only what the command line names:
 * the program, the path arguments and the configured folder, each widened to the package it
 * belongs to (a script imports its siblings and the `node_modules` above it).
 *
 * Never a socket, nor a folder that holds one at its top: a project's server naming
 * `/tmp/ssh-XXXX/agent.1` must not reach the user's ssh agent (a read-only mount still lets a
 * process connect to a socket), nor `/tmp/.X11-unix` the display.
 */
export async function programReadOnly(
  program: { command: string; args: readonly string[]; cwd?: string },
  pathEnv: string | undefined,
  shadowed = '/tmp',
): Promise<string[]> {
  const base = program.cwd ?? process.cwd();
  const named = [await which(program.command, base, pathEnv), ...program.args.flatMap((a) => pathLike(a, base))];
  if (program.cwd) named.push(program.cwd);
  const out = new Set<string>();
  for (const p of named) {
    if (!p) continue;
    // The program sees the path as named (a `.bin` link is followed inside), so both the link and
    // what it points at must be there.
    const resolved = await realpath(p).catch(() => null);
    for (const candidate of new Set([path.resolve(p), resolved])) {
      if (!candidate || candidate === shadowed || !isInside(candidate, shadowed)) continue;
      const bind = await bindFor(candidate, shadowed);
      if (bind) out.add(bind);
    }
  }
  return [...out];
}

/** `node`, `./server.js`, `--config=/tmp/x/c.json`: the paths an argument may name, resolved. */
function pathLike(arg: string, base: string): string[] {
  const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
  if (!value || value.startsWith('-') || value.includes('\n')) return [];
  return [path.resolve(base, value)];
}

async function which(command: string, base: string, pathEnv: string | undefined): Promise<string | null> {
  if (command.includes('/')) return path.resolve(base, command);
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, command);
    if (
      await access(p, constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return p;
  }
  return null;
}

/** The package root above `p` inside `shadowed`, else `p` itself (a file, or a folder without sockets). */
async function bindFor(p: string, shadowed: string): Promise<string | null> {
  const st = await lstat(p).catch(() => null);
  if (!st || !(st.isFile() || st.isDirectory() || st.isSymbolicLink())) return null;
  let root: string | null = null;
  for (let dir = st.isDirectory() ? p : path.dirname(p); dir !== shadowed && isInside(dir, shadowed); dir = path.dirname(dir)) {
    if ((await exists(path.join(dir, 'package.json'))) || (await exists(path.join(dir, 'node_modules')))) root = dir;
  }
  const chosen = root ?? p;
  // bubblewrap mounts onto the path as named: it must be the real one (the link's target is a
  // candidate of its own).
  if ((await realpath(chosen).catch(() => null)) !== chosen) return null;
  const kind = await stat(chosen).catch(() => null);
  if (!kind || !(kind.isFile() || kind.isDirectory())) return null;
  if (kind.isDirectory() && (await holdsSocket(chosen))) return null;
  return chosen;
}

async function exists(p: string): Promise<boolean> {
  return lstat(p).then(
    () => true,
    () => false,
  );
}

async function holdsSocket(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.some((e) => e.isSocket());
}
