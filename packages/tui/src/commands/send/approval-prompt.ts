import { openSync, closeSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline/promises';
import tty from 'node:tty';
import type { ApprovalDecision } from '@hermes/protocol';
import type { ApprovalChoice } from '../../format/approval.js';
import { widerRuleTarget } from '../../format/mcp.js';

const KEYS: Record<string, ApprovalDecision> = {
  o: 'once',
  once: 'once',
  y: 'once',
  yes: 'once',
  s: 'session',
  session: 'session',
  a: 'always',
  always: 'always',
  d: 'deny',
  deny: 'deny',
  n: 'deny',
  no: 'deny',
};

/** What the user typed, as one of the offered choices (`e`/`every`: the first wider rule); null to ask again. */
export function parseDecision(input: string, choices: readonly ApprovalChoice[]): ApprovalChoice | null {
  const typed = input.trim().toLowerCase();
  if (typed === 'e' || typed === 'every') return choices.find((c) => c.pattern !== undefined) ?? null;
  const d = KEYS[typed];
  return choices.find((c) => c.decision === d && c.pattern === undefined) ?? null;
}

/** `[o]nce [s]ession [a]lways [e] every tool of s [d]eny`, limited to what the daemon offers. */
export function choicesLabel(choices: readonly ApprovalChoice[]): string {
  const first = choices.find((c) => c.pattern !== undefined);
  return choices
    .flatMap((c) => {
      if (c.pattern === undefined) return [`[${c.decision[0]}]${c.decision.slice(1)}`];
      if (c !== first) return [];
      return [`[e] ${widerRuleTarget(c.pattern)}`];
    })
    .join(' ');
}

/**
 * The controlling terminal, opened directly so a prompt works even when stdin is a pipe.
 * Null without one (a daemonised job, CI, `setsid`), or when `HERMES_NO_TTY=1` says to
 * behave as if there were none (tests, or a terminal that must not be touched).
 */
export class TtyPrompt {
  private rl: Interface | null = null;
  private abort: AbortController | null = null;

  private constructor(
    private readonly input: tty.ReadStream,
    private readonly output: tty.WriteStream,
  ) {}

  static open(): TtyPrompt | null {
    if (process.env.HERMES_NO_TTY === '1' || process.platform === 'win32') return null;
    let rfd: number | undefined;
    try {
      rfd = openSync('/dev/tty', 'r');
      const wfd = openSync('/dev/tty', 'w');
      return new TtyPrompt(new tty.ReadStream(rfd), new tty.WriteStream(wfd));
    } catch {
      if (rfd !== undefined) closeSync(rfd);
      return null;
    }
  }

  write(text: string): void {
    this.output.write(text);
  }

  /**
   * Asks until a valid answer; null when `cancel()` was called first (another client answered,
   * the timeout hit). Ctrl-C in the prompt (raw mode: no signal) calls `onInterrupt`.
   */
  async ask(question: string, choices: readonly ApprovalChoice[], onInterrupt: () => void): Promise<ApprovalChoice | null> {
    // Each try is one line (`line` owns the readline and its clean-up).
    for (;;) {
      const answer = await this.line(question, onInterrupt);
      if (answer === null) return null;
      const decision = parseDecision(answer, choices);
      if (decision) return decision;
      this.output.write(`  answer one of: ${choicesLabel(choices)}\n`);
    }
  }

  /** One line of input; null when `cancel()` was called first. Ctrl-C calls `onInterrupt`. */
  async line(question: string, onInterrupt: () => void): Promise<string | null> {
    this.abort = new AbortController();
    const rl = createInterface({ input: this.input, output: this.output, terminal: true });
    this.rl = rl;
    rl.on('SIGINT', onInterrupt);
    try {
      return await rl.question(question, { signal: this.abort.signal });
    } catch {
      return null;
    } finally {
      rl.close();
      this.rl = null;
      this.input.pause();
    }
  }

  /** Ends a pending question (it resolves null). */
  cancel(): void {
    if (this.abort && !this.abort.signal.aborted) {
      this.abort.abort();
      this.output.write('\n');
    }
  }

  close(): void {
    this.cancel();
    this.rl?.close();
    if (this.input.isRaw) this.input.setRawMode(false);
    this.input.destroy();
    this.output.destroy();
  }
}
