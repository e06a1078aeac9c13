import type { CompactionTrigger, HermesEvent, Todo } from '@hermes/protocol';
import { filesChangedLine } from '../../format/checkpoint.js';
import { Chalk, supportsColorStderr, type ChalkInstance } from 'chalk';
import type { SendOptions } from '../options.js';
import { compactionLine } from '../../format/compaction.js';
import { noticeLine, planUpdateLines, toolCompletedLine, toolStartedLine } from './render.js';

const PLAN_TOOL = 'todo_write';
const colorOn = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;

/**
 * Where `send` writes: the reply on stdout, human lines on stderr. On a shared terminal a
 * stderr line first ends the reply's current line; a reader that went away (`| head`) stops
 * the writing, not the run.
 */
export class SendOutput {
  /** Colours for stderr (none when it is not a terminal, or with NO_COLOR). */
  readonly err: ChalkInstance;
  private atLineStart = true;
  private broken = false;
  private currentMessage: string | null = null;
  private wroteText = false;
  private readonly toolNames = new Map<string, string>();
  /** The plan as this command last printed it (changes are printed against it). */
  private plan: Todo[] | null = null;

  constructor(private readonly opts: Pick<SendOptions, 'json' | 'quiet'>) {
    this.err = new Chalk({ level: colorOn(process.stderr) ? (supportsColorStderr ? supportsColorStderr.level : 1) : 0 });
  }

  readonly onStdoutError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') this.broken = true;
  };

  /** Human output (neither --json nor --quiet). */
  get human(): boolean {
    return !this.opts.json && !this.opts.quiet;
  }

  out(text: string): void {
    if (this.broken || text.length === 0) return;
    process.stdout.write(text);
    this.atLineStart = text.endsWith('\n');
  }

  /** One human line on stderr. */
  line(text: string): void {
    if (!this.atLineStart && process.stdout.isTTY && process.stderr.isTTY) this.out('\n');
    process.stderr.write(`${text}\n`);
  }

  private readonly compactions = new Map<string, { trigger: CompactionTrigger; tokensBefore: number }>();

  /** An event of the run: NDJSON with --json, else the reply's text and a line per tool and notice. */
  event(e: HermesEvent): void {
    if (this.opts.json) return this.out(`${JSON.stringify(e)}\n`);
    const quiet = this.opts.quiet ?? false;
    switch (e.type) {
      case 'message.delta':
        if (quiet || e.data.text.length === 0) return;
        if (this.currentMessage !== e.data.messageId) {
          // A new assistant message after tool calls: a blank line between replies.
          if (this.wroteText) this.out(this.atLineStart ? '\n' : '\n\n');
          this.currentMessage = e.data.messageId;
        }
        this.out(e.data.text);
        this.wroteText = true;
        return;
      case 'tool.started':
        this.toolNames.set(e.data.toolCallId, e.data.name);
        // The plan's own lines say what todo_write did.
        if (!quiet && e.data.name !== PLAN_TOOL) this.line(toolStartedLine(this.err, e));
        return;
      case 'tool.completed':
        if (quiet || (e.data.ok && this.toolNames.get(e.data.toolCallId) === PLAN_TOOL)) return;
        this.line(toolCompletedLine(this.err, this.toolNames.get(e.data.toolCallId) ?? 'tool', e));
        return;
      case 'notice':
        if (!quiet || e.data.level !== 'info') this.line(noticeLine(this.err, e));
        return;
      case 'compaction.started':
        this.compactions.set(e.data.compactionId, e.data);
        return;
      case 'compaction.completed':
      case 'compaction.failed': {
        const started = this.compactions.get(e.data.compactionId);
        const trigger = started?.trigger ?? 'auto';
        const item =
          e.type === 'compaction.completed'
            ? { trigger, status: 'completed' as const, tokensBefore: e.data.tokensBefore, tokensAfter: e.data.tokensAfter }
            : { trigger, status: 'failed' as const, tokensBefore: started?.tokensBefore ?? 0, error: e.data.error };
        if (!quiet || e.type === 'compaction.failed') this.line(this.err.dim(`✻ ${compactionLine(item)}`));
        return;
      }
      case 'checkpoint.created':
        if (!quiet) this.line(this.err.dim(`± ${filesChangedLine(e.data.files)}`));
        return;
      case 'plan.updated': {
        // A plan change is progress, like a tool line: stderr, not with --quiet.
        const lines = planUpdateLines(this.err, this.plan, e.data.todos);
        this.plan = e.data.todos;
        if (!quiet) for (const l of lines) this.line(l);
        return;
      }
      default:
        return;
    }
  }

  /** The end of the reply: with --quiet the final text alone; stdout ends on a newline. */
  end(finalText: string): void {
    if (this.opts.quiet && finalText.trim()) this.out(finalText.replace(/\s*$/, '\n'));
    if (!this.atLineStart) this.out('\n');
  }
}
