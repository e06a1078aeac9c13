/**
 * A strict allowlist of read-only commands, for the policy without a sandbox: a command runs
 * without asking only when every simple command bash would run (every element of every chain,
 * pipeline, subshell, `$(…)`, backtick, `<(…)`, heredoc expansion) is a program on this list,
 * used with options that only read, and no redirection writes (except to /dev/null). Anything
 * the walk does not understand is not read-only. Pure; shares the detector's parser.
 */
import { ParseLimitError, parseShell, type CommandList, type SimpleCommand, type Word } from './shell-parse.js';

export type ReadOnlyVerdict = { readOnly: true } | { readOnly: false; reason: string };

/** Why the args make this use of the program not read-only, or null. */
type ArgCheck = (args: string[]) => string | null;

const any: ArgCheck = () => null;

/** Refuses the options named (exactly, as `--opt=…`, or as a short letter inside a cluster). */
function without(short: string, long: readonly string[] = []): ArgCheck {
  return (args) => {
    for (const a of args) {
      if (a === '--') break;
      if (a.startsWith('--')) {
        const name = a.slice(2).split('=')[0]!;
        if (long.some((l) => l === name || (name.length >= 3 && l.startsWith(name)))) return `--${name}`;
      } else if (short && /^-[^-]/.test(a) && [...a.slice(1)].some((c) => short.includes(c))) return a;
    }
    return null;
  };
}

function operandsAtMost(n: number, also: ArgCheck = any): ArgCheck {
  return (args) =>
    args.filter((a) => !a.startsWith('-') || a === '-').length > n
      ? `more than ${n} file operand(s) (the last would be written)`
      : also(args);
}

const FIND_ACTIONS = /^-(?:exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$/;

/** git subcommands that only read, with the options that would make them write or run programs. */
const GIT_READ = new Set(['status', 'log', 'diff', 'show', 'branch', 'rev-parse', 'ls-files', 'blame']);
const GIT_BRANCH_FLAGS =
  /^(?:-[arlvqi]+|--(?:all|remotes|list|verbose|quiet|show-current|ignore-case|no-color|no-column|no-abbrev|omit-empty)|--(?:color|column|abbrev|sort|format|contains|no-contains|merged|no-merged|points-at)(?:=.*)?)$/;
const GIT_BRANCH_VALUE = /^--(?:sort|format|contains|no-contains|merged|no-merged|points-at)$/;

const git: ArgCheck = (args) => {
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i++) {
    const a = args[i]!;
    if (a === '-C') i++;
    else if (!/^(?:--no-pager|-P|--no-optional-locks|--literal-pathspecs|--no-replace-objects|--bare|--version|--help)$/.test(a))
      return `git ${a}`;
  }
  const sub = args[i] ?? '';
  if (!GIT_READ.has(sub)) return `git ${sub || '(no subcommand)'}`;
  const rest = args.slice(i + 1);
  const bad = rest.find(
    (a) => /^--(?:output|ext-diff|textconv|config-env|exec|upload-pack|open-files-in-pager)(?:=|$)/.test(a) || a === '-c',
  );
  if (bad) return `git ${sub} ${bad}`;
  if (sub === 'branch') {
    let listing = false;
    let operands = 0;
    for (let k = 0; k < rest.length; k++) {
      const a = rest[k]!;
      if (a === '-l' || a === '--list' || /^-[arvqi]*l/.test(a)) listing = true;
      if (a.startsWith('-')) {
        if (!GIT_BRANCH_FLAGS.test(a)) return `git branch ${a}`;
        if (GIT_BRANCH_VALUE.test(a)) k++;
      } else operands++;
    }
    if (operands && !listing) return 'git branch with a name (creates a branch)';
  }
  return null;
};

const env: ArgCheck = (args) => (args.every((a) => a === '-0' || a === '--null') ? null : 'env with a command or assignment');

export const READ_ONLY_PROGRAMS: Readonly<Record<string, ArgCheck>> = {
  ls: any,
  cat: any,
  head: any,
  tail: any,
  wc: any,
  nl: any,
  tac: any,
  rev: any,
  fold: any,
  paste: any,
  comm: any,
  join: any,
  column: any,
  cut: any,
  tr: any,
  grep: any,
  egrep: any,
  fgrep: any,
  rg: without('', ['pre', 'pre-glob', 'hostname-bin']),
  find: (args) => args.find((a) => FIND_ACTIONS.test(a)) ?? null,
  git,
  pwd: any,
  which: any,
  echo: any,
  printf: without('v'),
  date: without('s', ['set']),
  file: without('C', ['compile']),
  stat: any,
  du: any,
  df: any,
  tree: without('o', ['output']),
  realpath: any,
  readlink: any,
  basename: any,
  dirname: any,
  sort: without('o', ['output', 'compress-program']),
  // `uniq in out` writes `out`; -f/-s/-w take a number.
  uniq: (args) => {
    let operands = 0;
    for (let i = 0; i < args.length; i++) {
      if (/^-[fsw]$/.test(args[i]!)) i++;
      else if (!args[i]!.startsWith('-') || args[i] === '-') operands++;
    }
    return operands > 1 ? 'with an output file' : null;
  },
  diff: any,
  cmp: any,
  true: any,
  false: any,
  // `-v a[$(…)]` evaluates an array subscript, which can run a command substitution.
  test: without('vR'),
  '[': without('vR'),
  env,
  printenv: any,
  uname: any,
  id: any,
  whoami: any,
  groups: any,
  hostname: (args) =>
    args.some((a) => !a.startsWith('-')) || args.some((a) => /^-(?:F|-file|b|-boot)/.test(a)) ? 'hostname with a name (sets it)' : null,
  nproc: any,
  arch: any,
  uptime: any,
  jq: any,
  seq: any,
  od: any,
  hexdump: any,
  xxd: operandsAtMost(1, without('r', ['revert'])),
  strings: any,
  md5sum: any,
  sha1sum: any,
  sha256sum: any,
  sha512sum: any,
  b2sum: any,
  cksum: any,
  cd: any,
};

/** Shell keywords that only sequence the commands around them. */
const SEQUENCING = new Set(['if', 'then', 'else', 'elif', 'fi', 'while', 'until', 'do', 'done', '!', '{', '}']);
const REJECTED_KEYWORDS = new Set(['for', 'case', 'select', 'function', 'coproc', '[[', ']]', 'in', 'esac', 'time']);

class NotReadOnly extends Error {}

function no(reason: string): never {
  throw new NotReadOnly(reason);
}

/** `$NAME`, `${NAME}`, `$1`, `$?`: plain reads. Other `${…}` forms can assign (`${x:=…}`) or evaluate. */
function checkExpansions(w: Word): void {
  for (const m of w.text.matchAll(/\$\{([^}]*)\}?/g)) {
    if (!/^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])$/.test(m[1] ?? '')) no(`the expansion ${m[0]} may assign or evaluate`);
  }
}

function checkCommand(cmd: SimpleCommand): void {
  for (const r of cmd.redirects) {
    const writes = r.op.includes('>');
    if (writes && !(/^\/dev\/(?:null|stdout|stderr)$/.test(r.target.text) && !r.target.dynamic))
      no(`the redirection ${r.op} ${r.target.text} writes a file`);
    checkExpansions(r.target);
  }
  for (const n of cmd.nested) checkList(n);
  let words = cmd.words;
  while (words[0] && !words[0].quoted && SEQUENCING.has(words[0].text)) words = words.slice(1);
  if (!words.length) return;
  const first = words[0]!;
  if (first.assign || (!first.quoted && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first.text)))
    no(`the assignment ${first.text.split('=')[0]}=… changes what later programs do`);
  if (!first.quoted && REJECTED_KEYWORDS.has(first.text)) no(`${first.text} is not on the read-only list`);
  if (first.dynamic || first.subst || first.proc) no('the program name is computed when it runs');
  const name = first.text.replace(/^\/(?:usr\/)?bin\//, '');
  // A slash names a file (maybe one the agent wrote); a glob is whatever file matches.
  if (name.includes('/') || /[*?]|\[.*\]/.test(name) || !Object.hasOwn(READ_ONLY_PROGRAMS, name))
    no(`not on the read-only list: ${first.text}`);
  for (const w of words) checkExpansions(w);
  const why = READ_ONLY_PROGRAMS[name]!(words.slice(1).map((w) => w.text));
  if (why) no(`${name} ${why.startsWith(name) ? why.slice(name.length + 1) : why} is not read-only`);
}

function checkList(list: CommandList): void {
  for (const p of list.pipelines) for (const cmd of p.commands) checkCommand(cmd);
}

export function readOnlyVerdict(command: string): ReadOnlyVerdict {
  if (command.includes('\0')) return { readOnly: false, reason: 'the command contains a NUL byte' };
  try {
    const list = parseShell(command);
    if (!list.pipelines.length) return { readOnly: false, reason: 'empty command' };
    checkList(list);
    return { readOnly: true };
  } catch (e) {
    if (e instanceof NotReadOnly) return { readOnly: false, reason: e.message };
    if (e instanceof ParseLimitError) return { readOnly: false, reason: e.message };
    return { readOnly: false, reason: 'the command could not be analysed' };
  }
}
