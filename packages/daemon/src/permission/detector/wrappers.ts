/**
 * Wrappers: programs that run another command (`sudo`, `env`, `timeout`, `nice`, `xargs`, …).
 * Each notes what it adds and returns the words of the command it runs, or null when it has
 * judged everything itself (or runs nothing).
 */
import type { Word } from '../shell-parse.js';
import { analysePayload, checkWriteTarget, stripPrefix } from './args.js';
import { basename } from './paths.js';
import { DESTRUCTIVE_FOR_XARGS, INTERPRETERS, PRIVILEGE, SHELLS } from './tables.js';
import type { Ctx, Findings } from './types.js';

type Unwrap = (prog: string, args: Word[], f: Findings, ctx: Ctx) => Word[] | null;

/** Skips leading options; `takesValue` says which options consume the next word. */
function skipOptions(args: Word[], takesValue: RegExp): number {
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) i += takesValue.test(args[i]!.text) ? 2 : 1;
  return i;
}

const privilege: Unwrap = (prog, args, f, ctx) => {
  f.add('dangerous', `runs with elevated privileges (${prog})`);
  if (prog === 'su') {
    const c = args.findIndex((w) => w.text === '-c' || w.text === '--command');
    if (c !== -1 && args[c + 1]) analysePayload(args[c + 1]!.text, f, ctx);
    return null;
  }
  if (prog === 'sudoedit') {
    args.forEach((w) => checkWriteTarget(w.text, 'sudoedit', f, ctx));
    return null;
  }
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    const t = args[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (t === '-e') {
      args.slice(i + 1).forEach((w) => checkWriteTarget(w.text, 'sudo -e', f, ctx));
      return null;
    }
    i += /^-[ughpCDrtUT]$/.test(t) ? 2 : 1;
  }
  return stripPrefix(args.slice(i));
};

const env: Unwrap = (_prog, args, f, ctx) => {
  let i = 0;
  while (i < args.length) {
    const t = args[i]!.text;
    if (t === '-S' || t === '--split-string') {
      analysePayload(args.slice(i + 1).map((w) => w.text).join(' '), f, ctx);
      return null;
    }
    if (t.startsWith('--split-string=')) {
      analysePayload(t.slice('--split-string='.length) + ' ' + args.slice(i + 1).map((w) => w.text).join(' '), f, ctx);
      return null;
    }
    if (/^-[uCP]$/.test(t) || t === '--unset' || t === '--chdir') i += 2;
    else if (t.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
      if (/^(?:LD_PRELOAD|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES)=/.test(t)) f.add('dangerous', 'preloads a library into the command');
      i++;
    } else break;
  }
  return args.slice(i);
};

/** Wrappers whose options come first; the regex names the options that take a value. */
const SIMPLE: Record<string, RegExp> = {
  nohup: /^$/,
  setsid: /^$/,
  builtin: /^$/,
  time: /^$/,
  exec: /^-a$/,
  nice: /^-n$/,
  ionice: /^-[cnpt]$/,
  stdbuf: /^-[ioe]$/,
  unbuffer: /^$/,
  caffeinate: /^-[tw]$/,
  chronic: /^$/,
  catchsegv: /^$/,
  strace: /^-[eopsu]$/,
  ltrace: /^-[eops]$/,
  proxychains: /^-f$/,
  proxychains4: /^-f$/,
  torsocks: /^$/,
  firejail: /^$/,
};

const simple: Unwrap = (prog, args) => stripPrefix(args.slice(skipOptions(args, SIMPLE[prog]!)));

const command: Unwrap = (_prog, args) => {
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    if (/[vV]/.test(args[i]!.text)) return null; // `command -v x` only looks x up
    i++;
  }
  return args.slice(i);
};

const timeout: Unwrap = (_prog, args) => args.slice(skipOptions(args, /^-[sk]$/) + 1); // then the duration

const schedAffinity: Unwrap = (_prog, args) => {
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    if (/^-(?:p|-pid)$/.test(args[i]!.text)) return null;
    i++;
  }
  return args.slice(i + 1); // priority / cpu mask
};

const flock: Unwrap = (_prog, args, f, ctx) => {
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    if (/^-(?:c|-command)$/.test(args[i]!.text) && args[i + 1]) {
      analysePayload(args[i + 1]!.text, f, ctx);
      return null;
    }
    i += /^-[wE]$/.test(args[i]!.text) ? 2 : 1;
  }
  return args.slice(i + 1); // the lock file
};

const watch: Unwrap = (_prog, args, f, ctx) => {
  analysePayload(args.slice(skipOptions(args, /^-[nq]$/)).map((w) => w.text).join(' '), f, ctx);
  return null;
};

const xargs: Unwrap = (prog, args, f) => {
  const i = skipOptions(args, /^(?:-[IEdLnPsaJ]|--arg-file)$/);
  const inner = stripPrefix(args.slice(i));
  const innerProg = inner[0] ? basename(inner[0].text) : 'echo';
  if (DESTRUCTIVE_FOR_XARGS.has(innerProg)) f.add('dangerous', `${prog} feeds unknown arguments to ${innerProg}`, true);
  if (SHELLS.has(innerProg) || INTERPRETERS.has(innerProg)) f.add('dangerous', `${prog} runs ${innerProg} on its input`, true);
  return inner;
};

const WRAPPERS: Record<string, Unwrap> = {
  ...Object.fromEntries([...PRIVILEGE].map((p) => [p, privilege])),
  ...Object.fromEntries(Object.keys(SIMPLE).map((p) => [p, simple])),
  env,
  command,
  timeout,
  gtimeout: timeout,
  chrt: schedAffinity,
  taskset: schedAffinity,
  flock,
  watch,
  busybox: (_p, args) => args,
  toybox: (_p, args) => args,
  xargs,
  parallel: xargs,
};

/** The wrapped command's words, null when there is nothing more to judge, undefined when `prog` is no wrapper. */
export function unwrap(prog: string, args: Word[], f: Findings, ctx: Ctx): Word[] | null | undefined {
  const w = Object.hasOwn(WRAPPERS, prog) ? WRAPPERS[prog] : undefined;
  return w ? w(prog, args, f, ctx) : undefined;
}
