import { constants } from 'node:fs';
import { lstat, open, readFile, realpath, rename, stat, unlink, writeFile, chmod, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';
import { createTwoFilesPatch } from 'diff';
import type { JsonSchema } from './types.js';

/** Resolves a tool path: `~` to the home folder, relative paths against the workspace. */
export function resolvePath(workspace: string, p: string, env?: Readonly<Record<string, string | undefined>>): string {
  const home = env?.HOME ?? os.homedir();
  const expanded = p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
  return path.resolve(workspace, expanded);
}

/** The path to show the model: relative to the workspace when inside it. */
export function displayPath(workspace: string, abs: string): string {
  const rel = path.relative(workspace, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Turns a filesystem error into a sentence the model can act on. */
export function fsErrorMessage(e: unknown, shown: string): string {
  switch (errCode(e)) {
    case 'ENOENT':
      return `File not found: ${shown}`;
    case 'EACCES':
    case 'EPERM':
      return `Permission denied: ${shown}`;
    case 'EISDIR':
      return `${shown} is a directory, not a file`;
    case 'ENOTDIR':
      return `A parent of ${shown} is not a directory`;
    case 'EROFS':
      return `${shown} is on a read-only filesystem`;
    case 'ENOSPC':
      return `No space left on the device writing ${shown}`;
    case 'ELOOP':
      return `Too many symbolic links resolving ${shown}`;
    case 'ENAMETOOLONG':
      return `Path too long: ${shown}`;
    default:
      return `Could not access ${shown}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export class ToolError extends Error {}

/** zod → the JSON schema object a provider wants (no `$schema` key). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/** Whether a buffer looks binary: a NUL byte in its first 8 KiB (what git and grep do). */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export const MAX_EDIT_BYTES = 10 * 1024 * 1024;

/**
 * Reads a text file for editing. Returns null when it does not exist; throws ToolError with a
 * clear message for directories, binary or huge files, and permission errors.
 */
export async function readTextForEdit(abs: string, shown: string): Promise<{ text: string; mode: number } | null> {
  let st;
  try {
    st = await stat(abs);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return null;
    throw new ToolError(fsErrorMessage(e, shown));
  }
  if (st.isDirectory()) throw new ToolError(`${shown} is a directory, not a file`);
  if (!st.isFile()) throw new ToolError(`${shown} is not a regular file`);
  if (st.size > MAX_EDIT_BYTES) throw new ToolError(`${shown} is ${st.size} bytes, too large to edit with this tool (limit ${MAX_EDIT_BYTES})`);
  let buf: Buffer;
  try {
    buf = await readFile(abs);
  } catch (e) {
    throw new ToolError(fsErrorMessage(e, shown));
  }
  if (looksBinary(buf)) throw new ToolError(`${shown} is a binary file; it cannot be edited as text`);
  return { text: buf.toString('utf8'), mode: st.mode & 0o7777 };
}

/**
 * Writes a file atomically: a temp file in the same folder, then rename, so readers never see
 * half a file. Keeps an existing file's mode, follows a symlink to write its target (a rename
 * would otherwise replace the link with a regular file), and creates missing parent folders.
 */
export async function writeAtomic(abs: string, content: string, mode?: number): Promise<void> {
  let target = abs;
  try {
    if ((await lstat(abs)).isSymbolicLink()) target = await realpath(abs);
  } catch {
    // Missing file: write it where asked.
  }
  const dir = path.dirname(target);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, content, { flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    // fsync before rename, so a crash leaves the old file or the new one, not an empty one.
    const fh = await open(tmp, constants.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

export function unifiedDiff(shown: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: 3 });
}

export function countLines(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * The shared shape of a file edit: plan it (read, check, diff), then write atomically; any
 * failure becomes an `ok: false` result for the model.
 */
export async function planAndWrite<P extends { abs: string; shown: string; mode?: number | undefined }>(
  path: string,
  plan: () => Promise<P>,
  content: (p: P) => string,
): Promise<{ ok: false; result: string } | { ok: true; plan: P }> {
  let p: P;
  try {
    p = await plan();
  } catch (e) {
    return { ok: false, result: e instanceof ToolError ? e.message : fsErrorMessage(e, path) };
  }
  try {
    await writeAtomic(p.abs, content(p), p.mode);
  } catch (e) {
    return { ok: false, result: fsErrorMessage(e, p.shown) };
  }
  return { ok: true, plan: p };
}
