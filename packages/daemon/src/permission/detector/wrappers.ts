/**
 * Wrappers: programs that run another command (`sudo`, `env`, `timeout`, `nice`, `xargs`, …).
 * Each notes what it adds and hands back the words of the command it runs.
 *
 * The command line is read with the wrapper's option table (wrapper-specs.ts). Because a
 * wrong guess about whether an option takes a value would hide the real command behind it
 * (`nice --adjustment 19 rm -rf ~` read as running `19`), every other plausible start in the
 * option region is judged too (`alternatives`): a word that was read as an option value or an
 * operand, and the word after an option the table does not know.
 */
import type { Word } from '../shell-parse.js';
import { analysePayload, checkWriteTarget, stripPrefix } from './args.js';
import { basename } from './paths.js';
import { DESTRUCTIVE_FOR_XARGS, INTERPRETERS, PRIVILEGE, SHELLS } from './tables.js';
import { checkAssignment } from './secrets.js';
import type { Ctx, Findings } from './types.js';
import { WRAPPER_SPECS, type WrapperSpec } from './wrapper-specs.js';

export interface Unwrapped {
  /** The wrapped command, as the table reads it. */
  next: Word[];
  /** Other readings of where the wrapped command starts; judged as well. */
  alternatives: Word[][];
}

function matchesLong(names: readonly string[] | undefined, given: string): boolean {
  // getopt_long accepts any unambiguous prefix; accepting every prefix errs towards a match.
  return !!names && given.length > 0 && names.some((n) => n.startsWith(given));
}

/** Reads a wrapper's command line; judges command-string options itself. Null: nothing more runs. */
function readWrapper(spec: WrapperSpec, prog: string, args: Word[], f: Findings, ctx: Ctx): Unwrapped | null {
  const alternatives = new Set<number>();
  const text = (i: number): string => args[i]?.text ?? '';
  const runPayload = (payload: string | undefined, rest: Word[]): null => {
    const extra = spec.shortCommand === 'S' ? rest.map((w) => w.text) : []; // env -S: the rest are more words of it
    if (payload !== undefined) analysePayload([payload, ...extra].join(' '), f, ctx);
    return null;
  };
  if (spec.commandAnywhere) {
    for (let i = 0; i < args.length; i++) {
      const t = text(i);
      if ((spec.shortCommand && new RegExp(`^-[${spec.shortCommand}]$`).test(t)) || t === '--command') {
        analysePayload(text(i + 1), f, ctx);
      } else if (t.startsWith('--command=')) analysePayload(t.slice(10), f, ctx);
    }
    if (spec.onlyCommandOption) return null;
  }
  let i = 0;
  let lastUnknown = false;
  while (i < args.length) {
    const t = text(i);
    lastUnknown = false;
    if (t === '--') {
      i++;
      break;
    }
    if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
      checkAssignment(t, f, ctx);
      i++;
      continue;
    }
    if (spec.noRun?.test(t)) return null;
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const name = t.slice(2, eq === -1 ? undefined : eq);
      if (matchesLong(spec.longCommand, name))
        return runPayload(eq === -1 ? args[i + 1]?.text : t.slice(eq + 1), args.slice(eq === -1 ? i + 2 : i + 1));
      if (matchesLong(spec.longValue, name) && eq === -1) {
        if (spec.writesTo?.test(t) && args[i + 1]) checkWriteTarget(text(i + 1), `${prog} ${t}`, f, ctx);
        alternatives.add(i + 1);
        i += 2;
        continue;
      }
      lastUnknown = eq === -1 && !matchesLong(spec.longFlag, name) && !matchesLong(spec.longValue, name);
      i++;
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      let consumed = 1;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k]!;
        if (spec.shortCommand?.includes(ch)) {
          const attached = t.slice(k + 1);
          return runPayload(attached || args[i + 1]?.text, args.slice(attached ? i + 1 : i + 2));
        }
        if (spec.shortValue?.includes(ch)) {
          if (k === t.length - 1) {
            if (spec.writesTo?.test(`-${ch}`) && args[i + 1]) checkWriteTarget(text(i + 1), `${prog} -${ch}`, f, ctx);
            alternatives.add(i + 1);
            consumed = 2;
          }
          break;
        }
      }
      // Letters the table does not know might take a value too.
      lastUnknown = consumed === 1 && !/^-\d+$/.test(t);
      i += consumed;
      continue;
    }
    break;
  }
  for (let n = 0; n < (spec.operands ?? 0) && i < args.length; n++) alternatives.add(i++);
  if (spec.trailingCommandFlag && /^(?:-c|--command)$/.test(text(i))) return runPayload(args[i + 1]?.text, []);
  if (spec.onlyCommandOption) return null;
  if (lastUnknown) alternatives.add(i + 1);
  if (spec.joinAsShell) {
    analysePayload(
      args
        .slice(i)
        .map((w) => w.text)
        .join(' '),
      f,
      ctx,
    );
    return null;
  }
  alternatives.delete(i);
  return {
    next: stripPrefix(args.slice(i)),
    alternatives: [...alternatives].filter((j) => j < args.length).map((j) => stripPrefix(args.slice(j))),
  };
}

function privilege(prog: string, args: Word[], f: Findings, ctx: Ctx): Unwrapped | null {
  f.add('dangerous', `runs with elevated privileges (${prog})`);
  if (prog === 'sudoedit' || (prog === 'sudo' && args.some((w) => /^-[a-zA-Z]*e$/.test(w.text) || w.text === '--edit'))) {
    args.filter((w) => !w.text.startsWith('-')).forEach((w) => checkWriteTarget(w.text, `${prog} edit`, f, ctx));
    return null;
  }
  return readWrapper(WRAPPER_SPECS[prog] ?? {}, prog, args, f, ctx);
}

function xargs(prog: string, args: Word[], f: Findings, ctx: Ctx): Unwrapped | null {
  const spec: WrapperSpec = {
    shortValue: 'IEdLnPsa',
    longValue: ['arg-file', 'delimiter', 'eof', 'replace', 'max-lines', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
  };
  const r = readWrapper(spec, prog, args, f, ctx);
  if (!r) return null;
  // GNU parallel takes its command as one string too: `parallel 'rm -rf {}' ::: ~`.
  if (prog === 'parallel') {
    const end = r.next.findIndex((w) => /^:::+$/.test(w.text));
    analysePayload(
      r.next
        .slice(0, end === -1 ? undefined : end)
        .map((w) => w.text)
        .join(' '),
      f,
      ctx,
    );
  }
  const innerProg = r.next[0] ? basename(r.next[0].text) : 'echo';
  if (DESTRUCTIVE_FOR_XARGS.has(innerProg)) f.add('dangerous', `${prog} feeds unknown arguments to ${innerProg}`, true);
  if (SHELLS.has(innerProg) || INTERPRETERS.has(innerProg)) f.add('dangerous', `${prog} runs ${innerProg} on its input`, true);
  return r;
}

type Unwrap = (prog: string, args: Word[], f: Findings, ctx: Ctx) => Unwrapped | null;

const SPECIAL: Record<string, Unwrap> = {
  ...Object.fromEntries([...PRIVILEGE].map((p) => [p, privilege])),
  xargs,
  parallel: xargs,
};

export const WRAPPER_NAMES: readonly string[] = [...Object.keys(SPECIAL), ...Object.keys(WRAPPER_SPECS)];

/** The wrapped command (and other readings of it), null when nothing more runs, undefined when `prog` is no wrapper. */
export function unwrap(prog: string, args: Word[], f: Findings, ctx: Ctx): Unwrapped | null | undefined {
  if (Object.hasOwn(SPECIAL, prog)) return SPECIAL[prog]!(prog, args, f, ctx);
  if (Object.hasOwn(WRAPPER_SPECS, prog)) return readWrapper(WRAPPER_SPECS[prog]!, prog, args, f, ctx);
  return undefined;
}
