import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { InstructionFile } from '@hermes/protocol';
import { DEFAULT_INSTRUCTION_FILES, foldersBetween, instructionFileIn, projectRoot, readTextFile } from './discover.js';
import { expandImports } from './imports.js';

export const MAX_FILE_BYTES = 32 * 1024;
export const MAX_TOTAL_BYTES = 64 * 1024;

/** One instruction file, imports expanded and cut to its share of the caps. */
export interface LoadedInstruction extends InstructionFile {
  scope: 'global' | 'project' | 'nested';
  /** What the model gets. */
  content: string;
}

export interface InstructionOptions {
  /** HERMES_HOME: its AGENTS.md is the global file. */
  home: string;
  workspace: string;
  names?: readonly string[];
}

const bytesOf = (s: string) => Buffer.byteLength(s, 'utf8');

/** The first `max` bytes of a text, cut at a character boundary, with a marker naming the file to read for the rest. */
export function capText(text: string, max: number, file: string): { text: string; truncated: boolean } {
  const total = bytesOf(text);
  if (total <= max) return { text, truncated: false };
  const marker = `\n\n[… truncated: ${Math.round(total / 1024)} KiB in all, only the first part is shown. Use read_file on ${file} for the rest.]`;
  const keep = Math.max(0, max - bytesOf(marker));
  const head = Buffer.from(text, 'utf8')
    .subarray(0, keep)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return { text: head + marker, truncated: true };
}

async function loadOne(
  file: string,
  scope: LoadedInstruction['scope'],
  boundary: string | undefined,
): Promise<Omit<LoadedInstruction, 'truncated'> | null> {
  const raw = await readTextFile(file);
  if (raw === null) return null;
  const content = await expandImports(raw, file, { read: readTextFile, ...(boundary ? { boundary } : {}), home: os.homedir() });
  return { path: file, scope, content, bytes: bytesOf(content), sha256: createHash('sha256').update(content).digest('hex') };
}

/**
 * The instruction files of a run: `HERMES_HOME/AGENTS.md`, then one file per folder from the
 * project root down to the workspace. Each is cut at 32 KiB; over 64 KiB in all, the farther
 * files give way first (nearer ones win anyway).
 */
export async function loadInstructions(o: InstructionOptions): Promise<LoadedInstruction[]> {
  const names = o.names ?? DEFAULT_INSTRUCTION_FILES;
  const root = await projectRoot(o.workspace);
  const found: Omit<LoadedInstruction, 'truncated'>[] = [];
  const global = await loadOne(path.join(o.home, 'AGENTS.md'), 'global', undefined);
  if (global) found.push(global);
  for (const dir of foldersBetween(root, path.resolve(o.workspace))) {
    const file = await instructionFileIn(dir, names);
    const loaded = file ? await loadOne(file, 'project', root) : null;
    if (loaded) found.push(loaded);
  }
  let budget = MAX_TOTAL_BYTES;
  const out: LoadedInstruction[] = new Array(found.length);
  for (let i = found.length - 1; i >= 0; i--) {
    const f = found[i]!;
    const cut = capText(f.content, Math.min(MAX_FILE_BYTES, budget), f.path);
    budget = Math.max(0, budget - bytesOf(cut.text));
    out[i] = { ...f, content: cut.text, truncated: cut.truncated };
  }
  return out.filter((f) => f.content.trim() !== '' || f.truncated);
}

/**
 * Instruction files in the folders between the workspace (excluded) and `target` (a path a
 * tool touched), not attached yet in this session: each goes once, with the first tool result
 * that touches its folder.
 */
export async function nestedInstructions(
  target: string,
  o: InstructionOptions,
  attached: ReadonlySet<string>,
): Promise<LoadedInstruction[]> {
  const ws = path.resolve(o.workspace);
  const dir = path.resolve(ws, target);
  const rel = path.relative(ws, dir);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return [];
  const names = o.names ?? DEFAULT_INSTRUCTION_FILES;
  const root = await projectRoot(ws);
  const out: LoadedInstruction[] = [];
  // The target may be a file or a folder: its own folder counts only when it is one.
  const folders = foldersBetween(ws, dir).slice(1);
  for (const folder of folders) {
    const file = await instructionFileIn(folder, names);
    if (!file || attached.has(file)) continue;
    const loaded = await loadOne(file, 'nested', root);
    if (!loaded) continue;
    const cut = capText(loaded.content, MAX_FILE_BYTES, file);
    out.push({ ...loaded, content: cut.text, truncated: cut.truncated });
  }
  return out;
}

/** For the event: what was loaded, without the content. */
export function describe(files: readonly LoadedInstruction[]): InstructionFile[] {
  return files.map(({ path: p, bytes, truncated, scope, sha256 }) => ({ path: p, bytes, truncated, scope, ...(sha256 ? { sha256 } : {}) }));
}

/** Whether a run's set differs from the last one logged (paths or contents). */
export function changedSince(files: readonly LoadedInstruction[], last: readonly InstructionFile[] | undefined): boolean {
  if (!last) return files.length > 0;
  if (last.length !== files.length) return true;
  return files.some((f, i) => f.path !== last[i]!.path || f.sha256 !== last[i]!.sha256 || f.truncated !== last[i]!.truncated);
}
