import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const HISTORY_MAX = 1000;
export const historyPath = (home: string) => path.join(home, 'input_history');

/** One JSON string a line, so multi-line drafts survive; oldest first. */
export async function loadHistory(home: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(historyPath(home), 'utf8');
  } catch {
    return [];
  }
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (typeof v === 'string') entries.push(v);
    } catch {
      // A torn last line from a crash: skip it.
    }
  }
  if (entries.length > HISTORY_MAX * 2) {
    // Keep the file from growing without bound; rewriting is rare.
    const kept = entries.slice(-HISTORY_MAX);
    await writeFile(historyPath(home), kept.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 }).catch(() => {});
    return kept;
  }
  return entries.slice(-HISTORY_MAX);
}

export async function appendHistory(home: string, entry: string): Promise<void> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  await appendFile(historyPath(home), JSON.stringify(entry) + '\n', { mode: 0o600 });
}
