import path from 'node:path';
import * as z from 'zod';
import { createTwoFilesPatch } from 'diff';
import type { JsonSchema, PathUse, ToolContext } from './types.js';

export { resolvePath } from './resolve.js';

/** The path to show the model: relative to the workspace when inside it. */
export function displayPath(workspace: string, abs: string): string {
  const rel = path.relative(workspace, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export function errCode(e: unknown): string | undefined {
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

export function unifiedDiff(shown: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${shown}`, `b/${shown}`, before, after, undefined, undefined, { context: 3 });
}

export function countLines(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/**
 * What the file-writing tools share: the path is their summary and their target (resolved and
 * judged by the policy before they run), and the approval card shows their plan's diff (none if
 * planning fails: running it then says why).
 */
export function fileEdit<A extends { path: string }>(plan: (args: A, ctx: ToolContext) => Promise<{ diff: string }>) {
  return {
    summarize: (args: A): string => args.path,
    touches: (args: A): PathUse => ({ path: args.path, access: 'write' }),
    preview: (args: A, ctx: ToolContext): Promise<string | undefined> =>
      plan(args, ctx).then(
        (p) => p.diff || undefined,
        () => undefined,
      ),
  };
}
