/**
 * The walk: normalise, parse (shell-parse.ts), then judge every simple command bash would run,
 * nested ones included, after unwrapping wrappers, with the words the shell would really pass.
 */
import {
  MAX_COMMAND_CHARS,
  ParseLimitError,
  parseShell,
  type CommandList,
  type Redirect,
  type SimpleCommand,
  type Word,
} from '../shell-parse.js';
import { checkWriteTarget, stripPrefix } from './args.js';
import { analyseEval, analyseInterpreter, analyseShell, analyseSource, isInterpreter } from './interpreters.js';
import { basename } from './paths.js';
import { analyseProgram, KNOWN_PROGRAMS } from './programs.js';
import { INTERPRETERS, SHELLS, SKIP_COMMANDS } from './tables.js';
import { Findings, type Analyser, type Ctx } from './types.js';
import { unwrap, WRAPPER_NAMES } from './wrappers.js';
import { checkAssignment, checkSensitiveRead } from './secrets.js';
import { cwdAfter, downloadsOf, runsDownloaded } from './sequence.js';
import { checkSettingsChange } from './programs-exec.js';
import { resolveIn } from './paths.js';

export const analyser: Analyser = {
  text: analyseText,
  words: (words, ctx) => {
    const f = new Findings();
    analyseWords(words, { words, redirects: [], heredocs: [], nested: [] }, [], f, ctx);
    return f;
  },
};

export function analyseText(text: string, ctx: Ctx): Findings {
  const f = new Findings();
  if (ctx.depth > 8) {
    f.add('dangerous', 'commands nested too deeply to analyse');
    return f;
  }
  if (text.length > MAX_COMMAND_CHARS) {
    f.add('dangerous', 'command is too long to analyse');
    return f;
  }
  if (text.includes('\0')) {
    // bash never sees these (an argv string ends at NUL), so what would run is not this text.
    f.add('dangerous', 'command contains a NUL byte');
    return f;
  }
  regexPrepass(text, f);
  let list: CommandList;
  try {
    list = parseShell(text);
  } catch (e) {
    f.add('dangerous', e instanceof ParseLimitError ? e.message : 'command could not be analysed');
    return f;
  }
  analyseList(list, f, ctx);
  return f;
}

/** Checks that read the whole text: structures the word-level analysis cannot see. */
function regexPrepass(norm: string, f: Findings): void {
  // Quoted prose is data: mask single- and double-quoted spans before looking for a fork bomb.
  const masked = norm.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (m) => ' '.repeat(m.length));
  // Linear scan for `name() { … }` definitions (a backtracking regex over the name would be
  // quadratic on long words): a body that calls the name twice in the background is a fork bomb.
  const fb = /\(\s*\)\s*\{([^{}]{0,300})\}/g;
  for (let m = fb.exec(masked); m; m = fb.exec(masked)) {
    let start = m.index;
    while (start > 0 && m.index - start < 100 && !/[\s(){};|&<>]/.test(masked[start - 1]!)) start--;
    const name = masked.slice(start, m.index);
    if (!name) continue;
    const body = m[1] ?? '';
    const calls = body.split(/[\s;|&]+/).filter((t) => t === name).length;
    if (calls >= 2 && /&/.test(body)) f.add('hardline', 'fork bomb');
    else if (calls >= 1 && /\|/.test(body) && /&/.test(body)) f.add('hardline', 'fork bomb');
  }
  // Look-alike and invisible characters are read as bash reads them (ｒｍ is not rm), but an
  // approval card showing them could mislead the user about what runs: always ask.
  if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/.test(norm) || norm.normalize('NFKC') !== norm) {
    f.add('dangerous', 'contains invisible, control or look-alike characters');
  }
  if (/(?<![\d.])(?:169\.254\.169\.254|100\.100\.100\.200)(?![\d.])|metadata\.google\.internal|fd00:ec2::254/.test(norm)) {
    f.add('dangerous', 'reads cloud instance metadata (credentials)');
  }
}

/** Walks a list in order; a `cd` moves later relative paths (a subshell's list has its own copy). */
function analyseList(list: CommandList, f: Findings, outer: Ctx): void {
  const ctx: Ctx = { ...outer };
  const downloads = new Set<string>();
  for (const p of list.pipelines) {
    p.commands.forEach((cmd, idx) => {
      analyseCommand(cmd, p.commands.slice(0, idx), f, ctx);
      const ran = runsDownloaded(cmd, downloads, ctx);
      if (ran) f.add('dangerous', `runs ${ran}, which it just downloaded`, true);
      for (const d of downloadsOf(cmd, ctx)) downloads.add(d);
    });
    // Only a `cd` that is a pipeline of its own runs in this shell (`cd x | y` runs in a subshell).
    const moved = p.commands.length === 1 ? cwdAfter(p.commands[0]!, ctx) : false;
    if (moved !== false) ctx.cwd = moved;
  }
}

function analyseCommand(cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  for (const r of cmd.redirects) analyseRedirect(r, f, ctx);
  for (const n of cmd.nested) analyseList(n, f, ctx);
  const words = stripPrefix(cmd.words);
  // The `NAME=value` words stripPrefix dropped: `PAGER='…' git log`, `LD_PRELOAD=… x`.
  for (const w of cmd.words.slice(0, cmd.words.length - words.length)) checkAssignment(w.text, f, ctx);
  // Programs that only look at names and metadata do not expose what a file holds.
  if (!/^(?:ls|stat|du|file|test|\[|\[\[|realpath|basename|dirname|mkdir)$/.test(words[0]?.text ?? '')) {
    for (const w of words.slice(1)) checkSensitiveRead(resolveIn(w.text, ctx.cwd), f, ctx);
  }
  checkSettingsChange(
    words.map((w) => w.text),
    f,
  );
  analyseWords(words, cmd, upstream, f, ctx);
}

function analyseRedirect(r: Redirect, f: Findings, ctx: Ctx): void {
  if (r.op.includes('>')) checkWriteTarget(r.target.text, `redirect ${r.op}`, f, ctx);
  if (r.op === '<' || r.op === '<>') checkSensitiveRead(resolveIn(r.target.text, ctx.cwd), f, ctx);
  if (r.op === '<' && /^\/dev\/(?:tcp|udp)\//.test(r.target.text))
    f.add('dangerous', `opens a network connection through ${r.target.text}`);
}

/** A bash glob as a regex over one path component (`*`, `?`, `[…]`, `[!…]`); a lone `[` is literal. */
function globRegex(glob: string): RegExp {
  const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '[' ? glob.indexOf(']', i + 2) : -1;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close !== -1) {
      const body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      re += `[${negate ? '^' : ''}${[...(negate ? body.slice(1) : body)].map((ch) => (ch === '-' ? '-' : esc(ch))).join('')}]`;
      i = close;
    } else re += esc(c);
  }
  return new RegExp(`^${re}$`);
}

/** `/bin/r? -rf ~`: the name is a glob bash expands; every known program it could be. */
function globCandidates(name: string): string[] {
  if (!/[*?]|\[[^\]]+\]/.test(name)) return [];
  let re: RegExp;
  try {
    re = globRegex(basename(name));
  } catch {
    return [];
  }
  return [...KNOWN_PROGRAMS, ...WRAPPER_NAMES, ...SHELLS, ...INTERPRETERS, 'eval', 'source'].filter((p) => re.test(p)).slice(0, 40);
}

function analyseWords(words: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  for (;;) {
    if (!words.length) return;
    // Wrappers and their alternative readings share one budget per command: past it, ask.
    if (--ctx.budget.steps < 0) {
      f.add('dangerous', 'too many wrapped commands to analyse');
      return;
    }
    const first = words[0]!;
    if (!first.quoted && first.text === 'function') {
      words = stripPrefix(words.slice(2)); // `function f { … }`: the body follows the name
      continue;
    }
    if (!first.quoted && SKIP_COMMANDS.has(first.text)) return;
    if (first.subst || first.proc) {
      f.add('dangerous', 'the command name comes from a command substitution', true);
      return;
    }
    if (first.dynamic) {
      f.add('dangerous', 'the command name comes from a variable', true);
      return;
    }
    const prog = basename(first.text);
    const args = words.slice(1);
    const globbed = globCandidates(first.text);
    if (globbed.length || /[*?]|\[[^\]]+\]/.test(first.text)) {
      f.add('dangerous', `the command name ${first.text} is a pattern bash expands`, true);
      for (const name of globbed) analyseWords([{ ...first, text: name }, ...args], cmd, upstream, f, ctx);
      if (globbed.length) return;
    }
    const inner = unwrap(prog, args, f, ctx);
    if (inner === null) return;
    if (inner !== undefined) {
      for (const alt of inner.alternatives) analyseWords(alt, cmd, upstream, f, ctx);
      words = inner.next;
      continue;
    }
    if (SHELLS.has(prog)) return analyseShell(prog, args, cmd, upstream, f, ctx);
    if (prog === 'eval') return analyseEval(args, f, ctx);
    if (prog === 'source' || prog === '.') return analyseSource(prog, args, cmd, upstream, f, ctx);
    if (isInterpreter(prog, INTERPRETERS)) return analyseInterpreter(prog, args, cmd, upstream, f, ctx);
    return analyseProgram(prog, args, cmd, f, ctx);
  }
}
