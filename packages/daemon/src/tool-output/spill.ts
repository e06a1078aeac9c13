import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../util/fs.js';
import { toolOutputDir, toolOutputFile } from './dir.js';

/** A result longer than this (characters) is saved whole and the model gets its head and tail. */
export const SPILL_CHARS = 16_000;
const HEAD_CHARS = 6_000;
const TAIL_CHARS = 4_000;
/** Saved outputs older than this are removed. */
export const TOOL_OUTPUT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** What the model gets instead of a long result: head, a marker with the file, tail. */
export function spilledResult(result: string, whole: string, file: string): string {
  const omitted = result.length - HEAD_CHARS - TAIL_CHARS;
  return (
    `${result.slice(0, HEAD_CHARS)}\n\n[… ${omitted} characters left out here. The whole output (${whole.length} characters) is saved at ${file}: ` +
    `read it with read_file (offset/limit) or search it with search_files instead of running the tool again …]\n\n${result.slice(result.length - TAIL_CHARS)}`
  );
}

/**
 * Saves a long tool result (or the longer live output it was cut from) under
 * HERMES_HOME/tool-output/<session>/<toolCallId>.txt, mode 0600, and returns what the model
 * gets. Short results come back unchanged; a failed write leaves the result as it was.
 */
export async function spillIfLong(o: {
  home: string;
  sessionId: string;
  toolCallId: string;
  result: string;
  whole?: string;
}): Promise<string> {
  if (o.result.length <= SPILL_CHARS) return o.result;
  const whole = o.whole && o.whole.length > o.result.length ? o.whole : o.result;
  const file = toolOutputFile(o.home, o.sessionId, o.toolCallId);
  try {
    await ensurePrivateDir(path.dirname(path.dirname(file)));
    await ensurePrivateDir(path.dirname(file));
    await writeFile(file, whole, { mode: 0o600 });
  } catch {
    return o.result;
  }
  return spilledResult(o.result, whole, file);
}

/** Removes saved outputs older than 7 days, and session folders left empty. Never throws. */
export async function pruneToolOutput(home: string, now = Date.now()): Promise<number> {
  const root = path.dirname(toolOutputDir(home, 'x'));
  let removed = 0;
  const sessions = await readdir(root).catch(() => [] as string[]);
  for (const s of sessions) {
    const dir = path.join(root, s);
    const files = await readdir(dir).catch(() => [] as string[]);
    for (const f of files) {
      const p = path.join(dir, f);
      const st = await stat(p).catch(() => null);
      if (st && now - st.mtimeMs > TOOL_OUTPUT_MAX_AGE_MS) {
        await rm(p, { force: true }).catch(() => undefined);
        removed++;
      }
    }
    if ((await readdir(dir).catch(() => ['x'])).length === 0) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  return removed;
}
