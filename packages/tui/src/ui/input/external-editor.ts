import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Edits text in $VISUAL / $EDITOR (vi by default) and returns the result, or null when the
 * editor failed. Synchronous on purpose: Ink must not paint while the editor owns the terminal.
 */
export function editInEditor(text: string, setRawMode: (on: boolean) => void): { text: string } | { error: string } {
  const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hermes-draft-'));
  const file = path.join(dir, 'message.md');
  try {
    writeFileSync(file, text, { mode: 0o600 });
    setRawMode(false);
    process.stdout.write('\x1b[?2004l');
    // The editor may be "code --wait" and similar: run it through the shell.
    const res = spawnSync(`${editor} "${file}"`, { stdio: 'inherit', shell: true });
    if (res.error) return { error: `could not run ${editor}: ${res.error.message}` };
    if (res.status !== 0) return { error: `${editor} exited with ${res.status}` };
    return { text: readFileSync(file, 'utf8').replace(/\n$/, '') };
  } finally {
    process.stdout.write('\x1b[?2004h');
    setRawMode(true);
    rmSync(dir, { recursive: true, force: true });
  }
}
