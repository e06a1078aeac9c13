/**
 * Keys typed while `hermes chat` starts (the daemon may take seconds to start): without this the
 * terminal stays in cooked mode until Ink mounts, so the typed line is echoed above the screen
 * and its Enter arrives as a line feed, which the input takes as a new line (the message sat
 * unsent). Raw mode at once keeps every key for the input, Enter included; Ctrl+C still quits.
 */
export interface Typeahead {
  /** Hands what was typed to the TUI (raw mode stays on: Ink takes it over). */
  release(): void;
  /** Gives the terminal back as it was (the command ends without a TUI). */
  stop(): void;
}

const CTRL_C = 0x03;

export function holdTypeahead(stdin: NodeJS.ReadStream = process.stdin, exit: (code: number) => void = (c) => process.exit(c)): Typeahead {
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') return { release() {}, stop() {} };
  const chunks: Buffer[] = [];
  // 'readable' and read(), as Ink reads: a 'data' listener would switch the stream to flowing
  // mode, and once paused again Ink's own 'readable' listener never heard another key.
  const onReadable = () => {
    for (let chunk: unknown; (chunk = stdin.read()) !== null; ) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      if (b.includes(CTRL_C)) {
        stdin.setRawMode(false);
        exit(130);
        return;
      }
      chunks.push(b);
    }
  };
  stdin.setRawMode(true);
  stdin.on('readable', onReadable);
  let done = false;
  const detach = () => {
    if (done) return false;
    done = true;
    stdin.off('readable', onReadable);
    return true;
  };
  return {
    release() {
      if (!detach() || chunks.length === 0) return;
      // A line typed before even this ran went through cooked mode, its Enter turned into a line
      // feed: every line feed here is an Enter (a Ctrl+J typed during start-up becomes one too).
      stdin.unshift(Buffer.from(Buffer.concat(chunks).toString('utf8').replaceAll('\n', '\r')));
    },
    stop() {
      if (detach()) stdin.setRawMode(false);
    },
  };
}
