import type { ChatOptions } from './options.js';
// Placeholder until the TUI lands (issue 5).
export async function chatCommand(_home: string | undefined, _opts: ChatOptions): Promise<number> {
  process.stderr.write('hermes: chat is not built yet\n');
  return 1;
}
export async function attachCommand(_home: string | undefined, _session: string | undefined): Promise<number> {
  process.stderr.write('hermes: attach is not built yet\n');
  return 1;
}
