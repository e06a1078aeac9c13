/**
 * Reading and writing the file a call was approved for, and only that file. The policy judged
 * the target's real path (`resolve.ts`); between that and the write, a process the agent
 * started could swap the file or one of its folders for a symlink. So the write re-resolves
 * the path and compares it with what was judged, opens nothing through a link (`O_NOFOLLOW`),
 * creates its temp file in the resolved folder (`O_EXCL`) and renames it there. Node has no
 * `openat`/`renameat`: what is left is the moment between the last check and the rename.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { errCode, fsErrorMessage, looksBinary, ToolError } from './common.js';
import { resolveTarget, sameTarget, type ResolvedTarget } from './resolve.js';
import type { ToolContext } from './types.js';

export const MAX_EDIT_BYTES = 10 * 1024 * 1024;

function changed(shown: string, what: string): ToolError {
  return new ToolError(`${shown} changed after it was checked (${what}); nothing was done. Check what replaced it before trying again.`);
}

/**
 * Where a call's path leads now. When the policy judged this path before (an approval may
 * have taken minutes), it must still lead to the same place through the same folders.
 */
export async function targetFor(abs: string, shown: string, ctx: ToolContext): Promise<ResolvedTarget> {
  const now = await resolveTarget(abs);
  const judged = ctx.target;
  if (judged?.requested === abs && !sameTarget(judged, now)) {
    throw changed(shown, now.real !== judged.real ? `it now leads to ${now.real}` : `its folder ${now.anchor.path} was replaced`);
  }
  return now;
}

/**
 * Reads a text file for editing, by its real path, without following a link in its place.
 * Returns null when it does not exist; throws ToolError with a clear message for directories,
 * binary or huge files, and permission errors.
 */
export async function readTextForEdit(real: string, shown: string): Promise<{ text: string; mode: number } | null> {
  let fh;
  try {
    // O_NONBLOCK: a FIFO put in its place must not hang the tool; regular files ignore it.
    fh = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    if (errCode(e) === 'ELOOP') throw changed(shown, 'it is now a symbolic link');
    throw new ToolError(fsErrorMessage(e, shown));
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) throw new ToolError(`${shown} is a directory, not a file`);
    if (!st.isFile()) throw new ToolError(`${shown} is not a regular file`);
    if (st.size > MAX_EDIT_BYTES)
      throw new ToolError(`${shown} is ${st.size} bytes, too large to edit with this tool (limit ${MAX_EDIT_BYTES})`);
    let buf: Buffer;
    try {
      buf = await fh.readFile();
    } catch (e) {
      throw new ToolError(fsErrorMessage(e, shown));
    }
    if (looksBinary(buf)) throw new ToolError(`${shown} is a binary file; it cannot be edited as text`);
    return { text: buf.toString('utf8'), mode: st.mode & 0o7777 };
  } finally {
    await fh.close();
  }
}

/**
 * Writes `content` to the approved target atomically (temp file in the same folder, fsync,
 * rename), keeping `mode`, creating missing folders. Fails with a ToolError, writing nothing,
 * when the path no longer leads where it did.
 */
export async function writeResolved(approved: ResolvedTarget, shown: string, content: string, mode?: number): Promise<void> {
  const now = await resolveTarget(approved.requested);
  if (now.real !== approved.real) throw changed(shown, `it now leads to ${now.real}`);
  if (!sameTarget(approved, now)) throw changed(shown, `its folder ${now.anchor.path} was replaced`);
  const dir = path.dirname(now.real);
  await mkdir(dir, { recursive: true });
  // A link put on the way while the folders were created.
  if ((await realpath(dir)) !== dir) throw changed(shown, `a symbolic link appeared in ${dir}`);
  const dirBefore = await stat(dir);
  const tmp = path.join(dir, `.${path.basename(now.real)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  let renamed = false;
  try {
    try {
      await fh.writeFile(content);
      if (mode !== undefined) await fh.chmod(mode);
      // fsync before rename, so a crash leaves the old file or the new one, not an empty one.
      await fh.sync();
      const [mine, there, dirNow] = await Promise.all([fh.stat(), lstat(tmp), stat(dir)]);
      if (mine.ino !== there.ino || mine.dev !== there.dev || dirNow.ino !== dirBefore.ino || dirNow.dev !== dirBefore.dev) {
        throw changed(shown, `its folder ${dir} was replaced`);
      }
      const final = await lstat(now.real).catch(() => null);
      if (final?.isSymbolicLink()) throw changed(shown, 'it is now a symbolic link');
    } finally {
      await fh.close();
    }
    await rename(tmp, now.real);
    renamed = true;
  } finally {
    if (!renamed) await unlink(tmp).catch(() => undefined);
  }
}

/**
 * The shared shape of a file edit: plan it (resolve, read, check, diff), then write to what
 * was resolved; any failure becomes an `ok: false` result for the model.
 */
export async function planAndWrite<P extends { target: ResolvedTarget; shown: string; mode?: number | undefined }>(
  named: string,
  plan: () => Promise<P>,
  content: (p: P) => string,
): Promise<{ ok: false; result: string } | { ok: true; plan: P }> {
  let p: P;
  try {
    p = await plan();
  } catch (e) {
    return { ok: false, result: e instanceof ToolError ? e.message : fsErrorMessage(e, named) };
  }
  try {
    await writeResolved(p.target, p.shown, content(p), p.mode);
  } catch (e) {
    return { ok: false, result: e instanceof ToolError ? e.message : fsErrorMessage(e, p.shown) };
  }
  return { ok: true, plan: p };
}
