/**
 * The walk: normalise, parse (shell-parse.ts), then judge every simple command bash would run,
 * nested ones included, after unwrapping wrappers, with the words the shell would really pass.
 */
import { MAX_COMMAND_CHARS, ParseLimitError, parseShell, type CommandList, type Redirect, type SimpleCommand, type Word } from '../shell-parse.js';
import { checkWriteTarget, stripPrefix } from './args.js';
import { analyseEval, analyseInterpreter, analyseShell, analyseSource, isInterpreter } from './interpreters.js';
import { normalizeCommand } from './normalize.js';
import { basename } from './paths.js';
import { analyseProgram } from './programs.js';
import { INTERPRETERS, SHELLS, SKIP_COMMANDS } from './tables.js';
import { Findings, type Analyser, type Ctx } from './types.js';
import { unwrap } from './wrappers.js';

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
  const norm = normalizeCommand(text);
  regexPrepass(norm, f);
  let list: CommandList;
  try {
    list = parseShell(norm);
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
  if (/(?<![\d.])(?:169\.254\.169\.254|100\.100\.100\.200)(?![\d.])|metadata\.google\.internal|fd00:ec2::254/.test(norm)) {
    f.add('dangerous', 'reads cloud instance metadata (credentials)');
  }
}

function analyseList(list: CommandList, f: Findings, ctx: Ctx): void {
  for (const p of list.pipelines) p.commands.forEach((cmd, idx) => analyseCommand(cmd, p.commands.slice(0, idx), f, ctx));
}

function analyseCommand(cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  for (const r of cmd.redirects) analyseRedirect(r, f, ctx);
  for (const n of cmd.nested) analyseList(n, f, ctx);
  analyseWords(stripPrefix(cmd.words), cmd, upstream, f, ctx);
}

function analyseRedirect(r: Redirect, f: Findings, ctx: Ctx): void {
  if (r.op.includes('>')) checkWriteTarget(r.target.text, `redirect ${r.op}`, f, ctx);
  if (r.op === '<' && /^\/dev\/(?:tcp|udp)\//.test(r.target.text)) f.add('dangerous', `opens a network connection through ${r.target.text}`);
}

function analyseWords(words: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  for (let guard = 0; guard < 16 && words.length; guard++) {
    const first = words[0]!;
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
    const inner = unwrap(prog, args, f, ctx);
    if (inner === null) return;
    if (inner !== undefined) {
      words = inner;
      continue;
    }
    if (SHELLS.has(prog)) return analyseShell(prog, args, cmd, upstream, f, ctx);
    if (prog === 'eval') return analyseEval(args, f, ctx);
    if (prog === 'source' || prog === '.') return analyseSource(prog, args, cmd, upstream, f);
    if (isInterpreter(prog, INTERPRETERS)) return analyseInterpreter(prog, args, cmd, upstream, f, ctx);
    return analyseProgram(prog, args, f, ctx);
  }
}
