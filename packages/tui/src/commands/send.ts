import type { SendOptions } from './options.js';
// Placeholder until send lands (issue 4).
export async function sendCommand(_home: string | undefined, _text: string[], _opts: SendOptions): Promise<number> {
  process.stderr.write('hermes: send is not built yet\n');
  return 1;
}
