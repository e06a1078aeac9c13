/**
 * A small, lenient bash parser for approval decisions. It does not execute anything and never
 * throws on odd input (an unterminated quote just ends at the end of the string, as far as the
 * analysis is concerned), except `ParseLimitError` for input too deep or too long to analyse,
 * which the detector turns into a refusal to auto-approve (fail closed).
 *
 * It yields what the detector needs: simple commands with their words after quote removal,
 * redirects, heredoc bodies, and the command lists nested in `$(…)`, backticks, `<(…)` and
 * `( … )`, which bash runs too and which must therefore be checked like top-level commands.
 */
import { decodeAnsiC } from './ansi-c.js';
import { ParseLimitError, type CommandList, type Pipeline, type SimpleCommand, type Word } from './shell-ast.js';

export { ParseLimitError, type CommandList, type Pipeline, type Redirect, type SimpleCommand, type Word } from './shell-ast.js';

const MAX_DEPTH = 24;
export const MAX_COMMAND_CHARS = 100_000;

const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

function emptyCommand(): SimpleCommand {
  return { words: [], redirects: [], heredocs: [], nested: [] };
}

class Parser {
  i = 0;
  private pendingHeredocs: { cmd: SimpleCommand; delim: string; stripTabs: boolean; expands: boolean }[] = [];

  constructor(
    private readonly s: string,
    private readonly depth: number,
  ) {
    if (depth > MAX_DEPTH) throw new ParseLimitError('command is nested too deeply to analyse');
  }

  private peek(k = 0): string {
    return this.s[this.i + k] ?? '';
  }

  /** Parses commands until the end of input or an unmatched `)` when `close` is set. */
  parseList(close: boolean): CommandList {
    const list: CommandList = { pipelines: [] };
    let pipeline: Pipeline = { commands: [] };
    let cmd = emptyCommand();
    const endCommand = (): void => {
      if (cmd.words.length || cmd.redirects.length || cmd.nested.length || cmd.heredocs.length) pipeline.commands.push(cmd);
      cmd = emptyCommand();
    };
    const endPipeline = (): void => {
      endCommand();
      if (pipeline.commands.length) list.pipelines.push(pipeline);
      pipeline = { commands: [] };
    };

    while (this.i < this.s.length) {
      const c = this.peek();
      // Only space and tab separate words (and newline commands): bash reads `\r` as part of a word.
      if (c === ' ' || c === '\t') {
        this.i++;
      } else if (c === '\\' && this.peek(1) === '\n') {
        this.i += 2;
      } else if (c === '#') {
        while (this.i < this.s.length && this.peek() !== '\n') this.i++;
      } else if (c === '\n') {
        this.i++;
        endPipeline();
        this.readHeredocBodies();
      } else if (c === ')') {
        this.i++;
        if (close) {
          endPipeline();
          return list;
        }
        // A stray `)` outside any group (e.g. a `case` pattern): a command boundary.
        endPipeline();
      } else if (c === ';') {
        this.i += this.peek(1) === ';' ? 2 : 1;
        endPipeline();
      } else if (c === '&' && this.peek(1) === '&') {
        this.i += 2;
        endPipeline();
      } else if (c === '|' && this.peek(1) === '|') {
        this.i += 2;
        endPipeline();
      } else if (c === '|') {
        this.i += this.peek(1) === '&' ? 2 : 1;
        endCommand();
      } else if (c === '&' && this.peek(1) !== '>') {
        this.i++;
        endPipeline();
      } else if ((c === '<' || c === '>') && this.peek(1) === '(') {
        // Process substitution: its command runs, and the word is a /dev/fd path.
        this.i += 2;
        const inner = new Parser(this.s, this.depth + 1);
        inner.i = this.i;
        const nested = inner.parseList(true);
        this.i = inner.i;
        cmd.nested.push(nested);
        cmd.words.push({ text: `${c}(…)`, quoted: false, dynamic: true, subst: true, proc: true });
      } else if (c === '<' || c === '>' || (c === '&' && this.peek(1) === '>')) {
        this.readRedirect(cmd);
      } else if (c === '(') {
        // A subshell, `((…))` arithmetic, or the `()` of a function definition.
        this.i++;
        if (this.peek() === ')') {
          this.i++;
          // `f() { …; }` / `function f() …`: a definition, not a run of `f`; the body that follows is
          // parsed as commands of its own (judged whether or not `f` is ever called).
          const w = cmd.words;
          if (w.length === 1 || (w.length === 2 && w[0]!.text === 'function' && !w[0]!.quoted)) cmd.words = [];
          continue;
        }
        const inner = new Parser(this.s, this.depth + 1);
        inner.i = this.i;
        const nested = inner.parseList(true);
        this.i = inner.i;
        cmd.nested.push(nested);
      } else {
        const { words, nested } = this.readWord();
        cmd.nested.push(...nested);
        const last = words.at(-1);
        // `2>file`: a word made only of digits right before a redirect is the fd number.
        if (words.length === 1 && last && !last.quoted && /^\d+$/.test(last.text) && (this.peek() === '<' || this.peek() === '>')) continue;
        for (const word of words) cmd.words.push(...expandBraces(word));
      }
    }
    endPipeline();
    return list;
  }

  private readRedirect(cmd: SimpleCommand): void {
    const ops = ['&>>', '&>', '<<<', '<<-', '<<', '<>', '<&', '>>', '>|', '>&', '<', '>'];
    const op = ops.find((o) => this.s.startsWith(o, this.i)) ?? this.peek();
    this.i += op.length;
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
    if (this.i >= this.s.length || WORD_END.has(this.peek())) return;
    const { words, nested } = this.readWord();
    cmd.nested.push(...nested);
    // A target that splits into several words is an "ambiguous redirect" to bash; keep it whole.
    if (words.length === 0) return;
    const word: Word = words.length === 1 ? words[0]! : { ...words[0]!, text: words.map((w) => w.text).join(' ') };
    if ((op === '>&' || op === '<&') && /^(\d+|-)$/.test(word.text)) return; // fd duplication
    if (op === '<<' || op === '<<-') {
      this.pendingHeredocs.push({ cmd, delim: word.text, stripTabs: op === '<<-', expands: !word.quoted });
      return;
    }
    cmd.redirects.push({ op, target: word });
  }

  private readHeredocBodies(): void {
    for (const h of this.pendingHeredocs) {
      const lines: string[] = [];
      while (this.i < this.s.length) {
        const nl = this.s.indexOf('\n', this.i);
        const end = nl === -1 ? this.s.length : nl;
        let line = this.s.slice(this.i, end);
        this.i = nl === -1 ? this.s.length : nl + 1;
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      const body = lines.join('\n');
      h.cmd.heredocs.push(body);
      // `<<EOF` (delimiter unquoted) expands `$(…)` and backticks in the body: bash runs them.
      if (h.expands) h.cmd.nested.push(...this.expansionsIn(body));
    }
    this.pendingHeredocs = [];
  }

  /** The command lists that substitutions in `text` run, read like the inside of double quotes. */
  private expansionsIn(text: string): CommandList[] {
    const p = new Parser(text, this.depth + 1);
    const nested: CommandList[] = [];
    const scratch: Word = { text: '', quoted: false, dynamic: false, subst: false, proc: false };
    while (p.i < text.length) {
      const c = text[p.i];
      if (c === '\\') p.i += 2;
      else if (c === '$') p.readDollarOrLiteral(scratch, nested);
      else if (c === '`') p.readBacktickWord(scratch, nested);
      else p.i++;
    }
    return nested;
  }

  private parseSubstitution(): CommandList {
    const inner = new Parser(this.s, this.depth + 1);
    inner.i = this.i;
    const nested = inner.parseList(true);
    this.i = inner.i;
    return nested;
  }

  /** Reads the body of a backtick substitution (after the opening backtick) and parses it. */
  private parseBacktick(): CommandList {
    let body = '';
    while (this.i < this.s.length && this.peek() !== '`') {
      if (this.peek() === '\\' && ['`', '\\', '$'].includes(this.peek(1))) {
        body += this.peek(1);
        this.i += 2;
      } else {
        body += this.peek();
        this.i++;
      }
    }
    this.i++; // closing backtick
    return new Parser(body, this.depth + 1).parseList(false);
  }

  /** A `$` that starts no expansion is a literal dollar sign. */
  private readDollarOrLiteral(word: Word, nested: CommandList[]): void {
    if (!this.readDollar(word, nested)) {
      word.text += '$';
      this.i++;
    }
  }

  /** `` `…` ``: a command substitution, kept verbatim in the word and parsed as nested commands. */
  private readBacktickWord(word: Word, nested: CommandList[]): void {
    const start = this.i;
    this.i++;
    nested.push(this.parseBacktick());
    word.text += this.s.slice(start, this.i);
    word.dynamic = true;
    word.subst = true;
  }

  private readDollar(word: Word, nested: CommandList[]): boolean {
    const start = this.i;
    const next = this.peek(1);
    if (next === '(' && this.peek(2) === '(') {
      // Arithmetic `$((…))`: may itself hold substitutions, so parse it like a group.
      this.i += 3;
      nested.push(this.parseSubstitution());
      if (this.peek() === ')') this.i++;
      word.text += this.s.slice(start, this.i);
      word.dynamic = true;
      return true;
    }
    if (next === '(') {
      this.i += 2;
      nested.push(this.parseSubstitution());
      word.text += this.s.slice(start, this.i);
      word.dynamic = true;
      word.subst = true;
      return true;
    }
    if (next === '{') {
      // `${x:-$(cmd)}` runs cmd: substitutions inside are parsed; quotes inside are matched (a
      // `}` in them does not end the expansion, in or out of double quotes, as in bash).
      const before = nested.length;
      const scratch: Word = { text: '', quoted: false, dynamic: false, subst: false, proc: false };
      let depth = 1;
      this.i += 2;
      while (this.i < this.s.length) {
        const ch = this.peek();
        if (ch === '\\') this.i += 2;
        else if (ch === "'") {
          const end = this.s.indexOf("'", this.i + 1);
          this.i = end === -1 ? this.s.length : end + 1;
        } else if (ch === '"') {
          this.i++;
          while (this.i < this.s.length && this.peek() !== '"') {
            const d = this.peek();
            if (d === '\\') this.i += 2;
            else if (d === '$') this.readDollarOrLiteral(scratch, nested);
            else if (d === '`') this.readBacktickWord(scratch, nested);
            else this.i++;
          }
          this.i++;
        } else if (ch === '$') this.readDollarOrLiteral(scratch, nested);
        else if (ch === '`') this.readBacktickWord(scratch, nested);
        else {
          this.i++;
          if (ch === '{') depth++;
          else if (ch === '}' && --depth === 0) break;
        }
      }
      word.text += this.s.slice(start, Math.min(this.i, this.s.length));
      word.dynamic = true;
      if (nested.length > before) word.subst = true;
      return true;
    }
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(this.s.slice(this.i, this.i + 256));
    if (m) {
      this.i += m[0].length;
      word.text += m[0];
      word.dynamic = true;
      return true;
    }
    return false;
  }

  /**
   * Reads one shell word. Usually one word comes back; an unquoted `$IFS` / `${IFS}` splits it
   * the way bash's word splitting does with the default IFS (`rm$IFS-rf` runs `rm -rf`).
   */
  private readWord(): { words: Word[]; nested: CommandList[] } {
    const fresh = (): Word => ({ text: '', quoted: false, dynamic: false, subst: false, proc: false });
    let word = fresh();
    const words: Word[] = [];
    const nested: CommandList[] = [];
    let split = false;
    while (this.i < this.s.length) {
      const c = this.peek();
      if (WORD_END.has(c)) break;
      const ifs = /^\$(?:IFS(?![A-Za-z0-9_])|\{IFS\})/.exec(this.s.slice(this.i, this.i + 6));
      if (ifs) {
        this.i += ifs[0].length;
        split = true;
        if (word.text !== '' || word.quoted) words.push(word);
        word = fresh();
        continue;
      }
      if (c === '\\') {
        const n = this.peek(1);
        this.i += 2;
        if (n !== '\n') {
          word.text += n;
          word.quoted = true;
        }
      } else if (c === "'") {
        const end = this.s.indexOf("'", this.i + 1);
        const stop = end === -1 ? this.s.length : end;
        word.text += this.s.slice(this.i + 1, stop);
        word.quoted = true;
        this.i = stop + 1;
      } else if (c === '$' && this.peek(1) === "'") {
        let j = this.i + 2;
        while (j < this.s.length && this.s[j] !== "'") j += this.s[j] === '\\' ? 2 : 1;
        word.text += decodeAnsiC(this.s.slice(this.i + 2, Math.min(j, this.s.length)));
        word.quoted = true;
        this.i = j + 1;
      } else if (c === '$' && this.peek(1) === '"') {
        // Locale translation `$"…"`: same as a double-quoted string.
        this.i++;
      } else if (c === '"') {
        word.quoted = true;
        this.i++;
        while (this.i < this.s.length && this.peek() !== '"') {
          const d = this.peek();
          if (d === '\\' && ['"', '\\', '$', '`', '\n'].includes(this.peek(1))) {
            if (this.peek(1) !== '\n') word.text += this.peek(1);
            this.i += 2;
          } else if (d === '$') {
            this.readDollarOrLiteral(word, nested);
          } else if (d === '`') {
            this.readBacktickWord(word, nested);
          } else {
            word.text += d;
            this.i++;
          }
        }
        this.i++; // closing quote
      } else if (c === '$') {
        this.readDollarOrLiteral(word, nested);
      } else if (c === '`') {
        this.readBacktickWord(word, nested);
      } else {
        if (c === '=' && !word.quoted && !word.dynamic && /^[A-Za-z_][A-Za-z0-9_]*\+?$/.test(word.text)) word.assign = true;
        word.text += c;
        this.i++;
      }
    }
    if (word.text !== '' || word.quoted || !split) words.push(word);
    return { words, nested };
  }
}

/** Unquoted `pre{a,b}post` brace expansion (one level): `{rm,-rf,x}` runs `rm -rf x`. */
function expandBraces(word: Word): Word[] {
  if (word.quoted) return [word];
  const m = /^([^{}]*)\{([^{}]*,[^{}]*)\}([^{}]*)$/.exec(word.text);
  if (!m) return [word];
  return (m[2] ?? '').split(',').map((part) => ({ ...word, text: `${m[1] ?? ''}${part}${m[3] ?? ''}` }));
}

/** Parses a shell command. Throws `ParseLimitError` when it is too long or deep to analyse. */
export function parseShell(command: string): CommandList {
  if (command.length > MAX_COMMAND_CHARS) throw new ParseLimitError('command is too long to analyse');
  return new Parser(command, 0).parseList(false);
}
