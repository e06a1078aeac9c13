/** Shells and language interpreters: the text they run is judged like a command. */
import type { CommandList, SimpleCommand, Word } from '../shell-parse.js';
import { analysePayload, checkWriteTarget, stripPrefix } from './args.js';
import { basename } from './paths.js';
import { DECODERS, DOWNLOADERS, SHELL_OUT } from './tables.js';
import type { Ctx, Findings } from './types.js';

/** Anything in this pipeline stage list that fetches remote content or decodes hidden content. */
function upstreamKind(upstream: SimpleCommand[]): 'download' | 'decode' | 'other' {
  let kind: 'download' | 'decode' | 'other' = 'other';
  const visit = (cmd: SimpleCommand): void => {
    const words = stripPrefix(cmd.words);
    const prog = words[0] ? basename(words[0].text) : '';
    if (DOWNLOADERS.has(prog)) kind = 'download';
    else if (kind === 'other' && DECODERS.has(prog)) kind = 'decode';
    for (const n of cmd.nested) for (const p of n.pipelines) p.commands.forEach(visit);
  };
  upstream.forEach(visit);
  return kind;
}

function containsDownloader(list: CommandList): boolean {
  return list.pipelines.some((p) => upstreamKind(p.commands) === 'download');
}

/** What a command feeds on stdin that is written in the command itself: heredocs and here-strings. */
export function stdinTexts(cmd: SimpleCommand): string[] {
  return [...cmd.heredocs, ...cmd.redirects.filter((r) => r.op === '<<<').map((r) => r.target.text)];
}

/** Decodes the backslash escapes `echo -e` and `printf` interpret. */
function decodeEscapes(s: string): string {
  return s.replace(/\\(?:x([0-9a-fA-F]{1,2})|0?([0-7]{1,3})|(.))/gs, (_m, hex?: string, oct?: string, ch?: string) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    if (oct) return String.fromCharCode(parseInt(oct, 8) & 0xff);
    return ({ n: '\n', t: '\t', r: '\r', '\\': '\\' } as Record<string, string>)[ch ?? ''] ?? ch ?? '';
  });
}

/**
 * The text these pipeline stages print that is written in the command (`echo …`, `printf …`,
 * `cat <<EOF`), so that `echo 'rm -rf ~' | sh` is judged for what the shell will run.
 */
export function literalOutputs(cmds: readonly SimpleCommand[]): string[] {
  const out: string[] = [];
  for (const cmd of cmds) {
    const words = stripPrefix(cmd.words);
    const prog = words[0] ? basename(words[0].text) : '';
    const args = words.slice(1).map((w) => w.text);
    if (prog === 'echo' || prog === 'printf') {
      const text = (
        prog === 'echo'
          ? args.filter((a, i) => !(/^-[neE]+$/.test(a) && args.slice(0, i).every((b) => /^-[neE]+$/.test(b))))
          : args.filter((a) => a !== '--')
      ).join(' ');
      out.push(text, decodeEscapes(text));
    }
    if (prog === 'cat' || prog === 'echo' || prog === 'printf' || prog === 'tee') out.push(...stdinTexts(cmd));
    for (const n of cmd.nested) for (const p of n.pipelines) out.push(...literalOutputs(p.commands));
  }
  return out.filter((t) => t.trim() !== '');
}

/** Judges text a shell or interpreter reads as its program: stdin literals and substitutions' literal output. */
function analyseFedText(cmd: SimpleCommand, upstream: SimpleCommand[], run: (text: string) => void): void {
  for (const t of stdinTexts(cmd)) run(t);
  for (const t of literalOutputs(upstream)) run(t);
  for (const n of cmd.nested) for (const p of n.pipelines) for (const t of literalOutputs(p.commands)) run(t);
}

export function describePipeToInterpreter(prog: string, upstream: SimpleCommand[], f: Findings): void {
  const kind = upstreamKind(upstream);
  if (kind === 'download') f.add('dangerous', `pipes downloaded content into ${prog}`, true);
  else if (kind === 'decode') f.add('dangerous', `pipes decoded or transformed content into ${prog} (obfuscated command)`, true);
  else f.add('dangerous', `pipes generated input into ${prog} to run it`, true);
}

const STRING = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g;

/**
 * Strings in interpreter code that may be shell commands: literals with a blank in them,
 * Perl/Ruby `qx{…}` `qw(…)` `%x(…)` bodies, and lists of literals (`["rm", "-rf", "/"]`,
 * `exec "rm", "-rf", path`) joined into one command line.
 */
export function codeStrings(code: string): string[] {
  const out: string[] = [];
  for (const lit of code.match(STRING) ?? []) {
    const inner = lit.slice(1, -1);
    if (/\s/.test(inner)) out.push(inner);
  }
  for (const m of code.matchAll(/(?:\bq[xw]|%[xwWiI]?)\s*(?:\(([^)]*)\)|\{([^}]*)\}|\[([^\]]*)\]|<([^>]*)>|\/([^/]*)\/|\|([^|]*)\|)/g)) {
    const body = m.slice(1).find((g) => g !== undefined);
    if (body?.trim()) out.push(body);
  }
  for (const m of code.matchAll(/(?:(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*,\s*)+(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) {
    const parts = m[0].match(STRING) ?? [];
    out.push(parts.map((p) => `'${p.slice(1, -1).replace(/'/g, `'\\''`)}'`).join(' '));
  }
  return out;
}

/** Judges inline interpreter code: shell-outs are dangerous, and shell strings in them are judged too. */
function assessInlineCode(code: string, lang: string, f: Findings, ctx: Ctx): void {
  if (!SHELL_OUT.test(code) && !/`/.test(code)) return;
  f.add('dangerous', `${lang} code that runs commands or deletes files`);
  for (const text of codeStrings(code)) f.merge(ctx.analyser.text(text, { ...ctx, depth: ctx.depth + 1 }));
}

/** `bash -c '…'`, `sh script`, `sh <(curl …)`, `… | sh`, heredocs into a shell. */
export function analyseShell(prog: string, args: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  let i = 0;
  let inline = false;
  let stdin = false;
  while (i < args.length && /^[-+]/.test(args[i]!.text) && args[i]!.text !== '-' && args[i]!.text !== '--') {
    const t = args[i]!.text;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) inline = true;
    if (/^-[a-zA-Z]*s[a-zA-Z]*$/.test(t)) stdin = true; // `-s`: the script comes from stdin, the rest are its arguments
    i += t === '-o' || t === '+o' || t === '--rcfile' || t === '--init-file' ? 2 : 1;
  }
  if (args[i]?.text === '--' || args[i]?.text === '-') i++;
  if (inline) {
    if (args[i]) analysePayload(args[i]!.text, f, ctx);
    return;
  }
  const script = stdin ? undefined : args[i];
  if (!script || script.proc) analyseFedText(cmd, upstream, (t) => analysePayload(t, f, ctx));
  if (script?.proc) {
    const dl = cmd.nested.some(containsDownloader);
    f.add('dangerous', dl ? `runs a downloaded script (${prog} <(…))` : `runs the output of a command as a ${prog} script`, true);
    return;
  }
  if (script?.subst) {
    f.add('dangerous', `runs a ${prog} script whose name comes from a command substitution`, true);
    return;
  }
  if (!script && upstream.length) describePipeToInterpreter(prog, upstream, f);
}

export function analyseEval(args: Word[], f: Findings, ctx: Ctx): void {
  analysePayload(args.map((w) => w.text).join(' '), f, ctx);
  if (args.some((w) => w.subst)) f.add('dangerous', 'eval runs the output of a command substitution', true);
}

export function analyseSource(prog: string, args: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  const target = args[0];
  if (target?.proc || (target && /^\/dev\/(?:stdin|fd\/0)$/.test(target.text)))
    analyseFedText(cmd, upstream, (t) => analysePayload(t, f, ctx));
  if (target?.proc) {
    f.add('dangerous', cmd.nested.some(containsDownloader) ? 'sources a downloaded script' : 'sources the output of a command', true);
  } else if (target && upstream.length && /^\/dev\/(?:stdin|fd\/0)$/.test(target.text)) {
    describePipeToInterpreter(prog, upstream, f);
  }
}

/** The flag that introduces inline code, per language. */
const CODE_FLAGS: Record<string, RegExp> = {
  python: /^-[a-zA-Z]*c$/,
  perl: /^-[a-zA-Z]*[eE]$/,
  ruby: /^-[a-zA-Z]*e$/,
  node: /^(?:-[a-zA-Z]*[ep]|--eval|--print)$/,
  nodejs: /^(?:-[a-zA-Z]*[ep]|--eval|--print)$/,
  bun: /^(?:-e|--eval|-p|--print)$/,
  php: /^-r$/,
  lua: /^-e$/,
  luajit: /^-e$/,
  osascript: /^-e$/,
  pwsh: /^-(?:c|command|Command|enc|EncodedCommand)$/,
  Rscript: /^-e$/,
};

export function isInterpreter(prog: string, interpreters: ReadonlySet<string>): boolean {
  return interpreters.has(prog) || /^python\d(?:\.\d+)?$/.test(prog);
}

export function analyseInterpreter(prog: string, args: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  const lang = prog.replace(/\d.*$/, '');
  const flag = CODE_FLAGS[lang];
  let i = 0;
  let hasCode = false;
  while (i < args.length && args[i]!.text.startsWith('-') && args[i]!.text !== '-') {
    const t = args[i]!.text;
    if (flag?.test(t) && args[i + 1]) {
      hasCode = true;
      assessInlineCode(args[i + 1]!.text, prog, f, ctx);
      i += 2;
      continue;
    }
    if (lang === 'perl' && /^-[a-zA-Z]*i/.test(t)) {
      // In-place edit: the file operands are write targets.
      args.filter((w) => !w.text.startsWith('-')).forEach((w) => checkWriteTarget(w.text, `${prog} -i`, f, ctx));
    }
    if (lang === 'python' && t === '-m') return; // runs a module
    i++;
  }
  if (lang === 'deno' && args[0]?.text === 'eval' && args[1]) {
    assessInlineCode(args[1].text, prog, f, ctx);
    return;
  }
  if (hasCode) return;
  const script = args[i];
  if (script?.proc) {
    f.add(
      'dangerous',
      cmd.nested.some(containsDownloader) ? `runs a downloaded script with ${prog}` : `runs the output of a command with ${prog}`,
      true,
    );
    return;
  }
  if (!script || script.text === '-' || script.proc || /^\/dev\/(?:stdin|fd\/0)$/.test(script.text)) {
    analyseFedText(cmd, upstream, (t) => assessInlineCode(t, prog, f, ctx));
    if (upstream.length) describePipeToInterpreter(prog, upstream, f);
  }
}
