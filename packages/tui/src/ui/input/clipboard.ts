import { execFile } from 'node:child_process';

/** OSC 52: the terminal puts the text on the system clipboard (if it allows it). */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export interface CopyResult {
  /** Whether we know it reached the clipboard. */
  confirmed: boolean;
  how: string;
}

type Run = (cmd: string, args: string[], input: string) => Promise<void>;

const runWithInput: Run = (cmd, args, input) =>
  new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 3000 }, (err) => (err ? reject(err) : resolve()));
    child.stdin?.end(input);
  });

/**
 * Copies text to the clipboard. Inside tmux an application's OSC 52 is dropped unless tmux has
 * `set-clipboard on` (a DCS-wrapped one needs `allow-passthrough`), so ask tmux itself: `tmux
 * load-buffer -w -` fills a tmux buffer and sends it on to the outer terminal's clipboard. No
 * terminal answers OSC 52, so that path is never confirmed.
 */
export async function copyText(
  text: string,
  writeRaw: (s: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  run: Run = runWithInput,
): Promise<CopyResult> {
  if (env.TMUX) {
    try {
      await run('tmux', ['load-buffer', '-w', '-'], text);
      return { confirmed: true, how: 'into a tmux buffer (Prefix+] pastes it) and on to the terminal clipboard' };
    } catch {
      writeRaw(osc52(text));
      return { confirmed: false, how: 'with OSC 52; inside tmux this needs `set -g set-clipboard on`' };
    }
  }
  writeRaw(osc52(text));
  return { confirmed: false, how: 'with OSC 52; your terminal must allow it' };
}
