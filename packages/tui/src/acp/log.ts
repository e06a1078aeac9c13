import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * The bridge's log: `HERMES_HOME/logs/acp-<pid>.log`, since an editor shows an agent's stderr
 * poorly if at all. Warnings and errors go to stderr too. Never stdout: that is the protocol's.
 */
export interface AcpLog {
  readonly file: string | null;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One ACP message, when `HERMES_ACP_TRACE=1`. */
  trace(direction: 'in' | 'out', message: unknown): void;
  readonly tracing: boolean;
  close(): Promise<void>;
}

const MAX_TRACE_CHARS = 64 * 1024;

export function acpLogPath(home: string, pid = process.pid): string {
  return path.join(home, 'logs', `acp-${pid}.log`);
}

export function openAcpLog(home: string, opts: { trace: boolean; stderr?: (line: string) => void }): AcpLog {
  const stderr = opts.stderr ?? ((line: string) => process.stderr.write(line));
  const file = acpLogPath(home);
  let out: WriteStream | null = null;
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    out = createWriteStream(file, { flags: 'a', mode: 0o600 });
    // A full disk or a vanished folder must not take the bridge down: the log is a courtesy.
    out.on('error', () => {
      out = null;
    });
  } catch {
    out = null;
  }
  const write = (level: string, message: string) => {
    out?.write(`${new Date().toISOString()} ${level} ${message}\n`);
  };
  return {
    file: out ? file : null,
    tracing: opts.trace,
    info: (m) => write('info', m),
    warn: (m) => {
      write('warn', m);
      stderr(`hermes acp: ${m}\n`);
    },
    error: (m) => {
      write('error', m);
      stderr(`hermes acp: ${m}\n`);
    },
    trace: (direction, message) => {
      if (!opts.trace) return;
      let text = JSON.stringify(message) ?? String(message);
      if (text.length > MAX_TRACE_CHARS) text = `${text.slice(0, MAX_TRACE_CHARS)}… [${text.length} chars]`;
      write(direction === 'in' ? '<-' : '->', text);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!out) return resolve();
        out.end(() => resolve());
      }),
  };
}
