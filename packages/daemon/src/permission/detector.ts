/**
 * Dangerous-command detection. Pure: no I/O, no globals read.
 *
 * Commands are normalised, parsed into simple commands (see shell-parse.ts), unwrapped
 * (`sudo`, `env`, `timeout`, `bash -c`, `eval`, `xargs`, …) and then judged per program with
 * the words the shell would really run. Regexes over the raw string are avoided on purpose:
 * they are what quoting, `$IFS`, wrappers and chaining bypass (Claude Code #4956, Gemini CLI
 * #11510). Quoted arguments are data (`echo "rm -rf /"` runs nothing), but whatever a shell
 * would execute (`$(…)`, backticks, `<(…)`, `bash -c '…'`, `eval`, heredocs into a shell) is
 * parsed and judged like a top-level command.
 *
 * Levels: `safe` runs without asking; `dangerous` asks; `hardline` is refused even in yolo
 * mode: only things with no recovery path (wiping `/` or home, formatting or overwriting a
 * disk, fork bombs).
 */
import { MAX_COMMAND_CHARS, ParseLimitError, parseShell, type CommandList, type Pipeline, type Redirect, type SimpleCommand, type Word } from './shell-parse.js';

export type RiskLevel = 'safe' | 'dangerous' | 'hardline';

export interface CommandAssessment {
  level: RiskLevel;
  reasons: string[];
  /**
   * The rule a `session` / `always` answer would allow. For one simple command it is that
   * command in canonical form (`rm -rf build`); for compound or nested commands it is the exact
   * normalised command text, matched only verbatim (so an answer never widens to the other
   * parts of a chain). Absent when no rule is safe to offer: hardline, or a command whose
   * effect changes between runs (downloads piped into a shell, dynamic command names).
   */
  pattern?: string;
  /** True when the command is more than one simple command (or nests others): rules match it only verbatim. */
  compound: boolean;
}

export interface DetectorOptions {
  /** The user's home directory, to recognise `/home/me/.ssh` like `~/.ssh`. */
  home?: string;
}

const LEVEL_RANK: Record<RiskLevel, number> = { safe: 0, dangerous: 1, hardline: 2 };

export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

interface Finding {
  level: Exclude<RiskLevel, 'safe'>;
  reason: string;
  /** The command's effect is not fixed by its text: never offer a reusable rule. */
  unstable?: boolean;
}

class Findings {
  readonly list: Finding[] = [];
  add(level: Finding['level'], reason: string, unstable = false): void {
    if (!this.list.some((f) => f.reason === reason && f.level === level)) this.list.push({ level, reason, unstable });
  }
  merge(other: Findings): void {
    for (const f of other.list) this.add(f.level, f.reason, f.unstable);
  }
}

/** Strips what makes the same command look different to a matcher but not to bash. */
export function normalizeCommand(command: string): string {
  return (
    command
      .normalize('NFKC')
      .replace(/\x00/g, '')
      // ANSI escape sequences (CSI and OSC): invisible in a terminal, confusing to a matcher.
      .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
      .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
      .replace(/\r\n/g, '\n')
      // Line continuations join words: `rm \<newline> -rf x` runs `rm -rf x`.
      .replace(/\\\n/g, '')
      // IFS is whitespace by default: `rm${IFS}-rf` runs `rm -rf`.
      .replace(/\$\{IFS(?:[^}]*)\}|\$IFS\b/g, ' ')
      .trim()
  );
}

// ---------------------------------------------------------------------------------------------
// Program tables

const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash']);
const INTERPRETERS = new Set(['python', 'python2', 'python3', 'perl', 'ruby', 'node', 'nodejs', 'deno', 'bun', 'php', 'lua', 'luajit', 'tclsh', 'pwsh', 'osascript', 'Rscript', 'irb', 'jshell', 'groovy']);
const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'httpie', 'xh', 'lynx', 'links', 'nc', 'ncat', 'socat', 'scp', 'rsync', 'ftp', 'tftp', 'gh', 'aws', 'gsutil']);
/** Stages that turn opaque text into code: `base64 -d | sh` hides what runs. */
const DECODERS = new Set(['base64', 'base32', 'basenc', 'xxd', 'openssl', 'gunzip', 'zcat', 'gzip', 'bzcat', 'xzcat', 'tr', 'rev', 'uudecode', 'printf']);
const PRIVILEGE = new Set(['sudo', 'doas', 'su', 'pkexec', 'run0', 'sudoedit']);
const DESTRUCTIVE_FOR_XARGS = new Set(['rm', 'shred', 'unlink', 'rmdir', 'chmod', 'chown', 'chgrp', 'mv', 'dd', 'truncate', 'kill', 'pkill', 'killall']);
const SYSTEM_DIRS = ['/etc', '/usr', '/bin', '/sbin', '/boot', '/lib', '/lib32', '/lib64', '/var', '/opt', '/sys', '/proc', '/System', '/Library', '/private/etc', '/private/var'];
const HARDLINE_RM_DIRS = new Set(['/etc', '/usr', '/bin', '/sbin', '/boot', '/lib', '/lib64', '/var', '/home', '/root', '/Users', '/System', '/Library']);
const SHELL_RC = new Set(['.bashrc', '.zshrc', '.profile', '.bash_profile', '.bash_login', '.bash_logout', '.zprofile', '.zshenv', '.zlogin', '.cshrc', '.tcshrc', '.kshrc', '.inputrc']);
const CREDENTIAL_FILES = new Set(['.netrc', '.pgpass', '.npmrc', '.pypirc', '.git-credentials', '.gitconfig', 'authorized_keys']);
const SAFE_ENV_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.defaults', '.schema'];

const BLOCK_DEVICE = /^\/dev\/(?:(?:sd|hd|vd|xvd|nvme|mmcblk|md|dm-|loop|nbd|sr|fd)[a-z0-9]*|r?disk\d+\S*|mapper\/\S+|disk\/by-[a-z]+\/\S+)$/;
const HARMLESS_DEVICES = /^\/dev\/(?:null|zero|full|u?random|stdin|stdout|stderr|tty|fd\/\d+|pts\/\d+|shm\/.*)$/;

function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

function collapseSlashes(p: string): string {
  return p.replace(/\/{2,}/g, '/');
}

/** Rewrites home spellings (`$HOME`, `${HOME}`, `/home/me`, `/root`) to `~`. */
function homeRelative(p: string, home?: string): string {
  let out = collapseSlashes(p);
  out = out.replace(/^(?:\$HOME|\$\{HOME\})(?=\/|$)/, '~');
  if (home && home !== '/') {
    const h = collapseSlashes(home).replace(/\/$/, '');
    if (out === h || out.startsWith(h + '/')) out = '~' + out.slice(h.length);
  }
  out = out.replace(/^(?:\/home\/[^/]+|\/Users\/[^/]+|\/root)(?=\/|$)/, '~');
  return out;
}

/** Lexically resolves `.` and `..` in an absolute path. */
function lexicalAbs(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

function isRootLike(p: string): boolean {
  if (!p.startsWith('/')) return false;
  const stripped = p.replace(/\*+$/, '');
  return lexicalAbs(stripped) === '/';
}

function isHomeLike(p: string, home?: string): boolean {
  const h = homeRelative(p, home).replace(/\/\*?$/, '').replace(/\/\.$/, '');
  return h === '~' || h === '~/*';
}

export function isSensitiveEnvFile(name: string): boolean {
  const b = basename(name).toLowerCase();
  if (b !== '.env' && !b.startsWith('.env.') && !b.endsWith('.env')) return false;
  return !SAFE_ENV_SUFFIXES.some((s) => b.endsWith(s));
}

/**
 * Why writing to this path is dangerous, or null. `hardline` only for raw disk devices.
 * Shared by shell write targets and the file tools.
 */
export function sensitiveWriteReason(path: string, home?: string): Finding | null {
  const p = homeRelative(path.trim(), home);
  if (p.startsWith('/dev/')) {
    if (HARMLESS_DEVICES.test(p)) return null;
    if (BLOCK_DEVICE.test(p)) return { level: 'hardline', reason: `writes to the raw disk device ${p}` };
    if (/^\/dev\/(?:tcp|udp)\//.test(p)) return { level: 'dangerous', reason: `opens a network connection through ${p}` };
    return { level: 'dangerous', reason: `writes to the device ${p}` };
  }
  if (/^~\/\.ssh(?:\/|$)/.test(p) || /(?:^|\/)\.ssh\/(?:authorized_keys|config|id_[^/]*|known_hosts)$/.test(p)) {
    return { level: 'dangerous', reason: `writes to SSH configuration or keys (${p})` };
  }
  const b = basename(p);
  if (SHELL_RC.has(b)) return { level: 'dangerous', reason: `writes to a shell startup file (${p})` };
  if (p.startsWith('~/') && (CREDENTIAL_FILES.has(b) || /^~\/\.(?:aws|kube|gnupg|docker|config\/gh)(?:\/|$)/.test(p))) {
    return { level: 'dangerous', reason: `writes to a credentials file (${p})` };
  }
  if (/^~\/\.hermes(?:\/|$)/.test(p)) return { level: 'dangerous', reason: `writes to hermes' own configuration (${p})` };
  if (isSensitiveEnvFile(p)) return { level: 'dangerous', reason: `writes to an environment/secrets file (${b})` };
  if (/(?:^|\/)\.git\/hooks(?:\/|$)/.test(p)) return { level: 'dangerous', reason: `writes a git hook (${p})` };
  if (p.startsWith('/')) {
    const abs = lexicalAbs(p);
    if (abs === '/') return { level: 'dangerous', reason: 'writes to the filesystem root' };
    const sys = SYSTEM_DIRS.find((d) => abs === d || abs.startsWith(d + '/'));
    if (sys && !abs.startsWith('/var/tmp') && !abs.startsWith('/private/var/folders')) {
      return { level: 'dangerous', reason: `writes into the system directory ${sys}` };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Analysis

interface Ctx {
  home?: string;
  depth: number;
  /** Set when some text is run by another program (`bash -c`, `eval`, `find -exec`): not a plain command. */
  carried?: { value: boolean };
}

/** Splits words into short flag letters, long flags and operands (GNU permutes: flags may follow operands). */
function splitArgs(args: Word[]): { short: Set<string>; long: string[]; operands: string[] } {
  const short = new Set<string>();
  const long: string[] = [];
  const operands: string[] = [];
  let endOfOpts = false;
  for (const w of args) {
    const t = w.text;
    if (!endOfOpts && t === '--') endOfOpts = true;
    else if (!endOfOpts && t.startsWith('--') && t.length > 2) long.push(t);
    else if (!endOfOpts && t.startsWith('-') && t.length > 1) for (const ch of t.slice(1)) short.add(ch);
    else operands.push(t);
  }
  return { short, long, operands };
}

function hasLong(long: string[], name: string, minPrefix = name.length): boolean {
  return long.some((l) => {
    const bare = l.split('=')[0] ?? l;
    return bare.length - 2 >= minPrefix && name.startsWith(bare.slice(2));
  });
}

function checkWriteTarget(target: string, how: string, f: Findings, ctx: Ctx): void {
  const r = sensitiveWriteReason(target, ctx.home);
  if (r) f.add(r.level, how ? `${r.reason} (${how})` : r.reason);
}

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

const KEYWORDS = new Set(['{', '}', '!', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'coproc', '[[', ']]']);
const SKIP_COMMANDS = new Set(['for', 'case', 'select', 'function', 'esac', 'in']);

/** Drops `{`, `!`, `if`/`then`/`do`… keywords and leading `VAR=value` assignments. */
function stripPrefix(words: Word[]): Word[] {
  let i = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (!w.quoted && KEYWORDS.has(w.text)) i++;
    else if (!w.quoted && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(w.text)) i++;
    else break;
  }
  return words.slice(i);
}

const SHELL_OUT = /\b(?:os\s*\.\s*(?:system|popen|exec\w*|spawn\w*|remove|unlink|rmdir|removedirs|kill)|subprocess|pty\s*\.\s*spawn|commands\s*\.\s*getoutput|shutil\s*\.\s*rmtree|rmtree|child_process|exec(?:Sync|File|FileSync)?\s*\(|spawn(?:Sync)?\s*\(|rmSync|rmdirSync|unlinkSync|fs\s*\.\s*(?:rm|unlink|rmdir)|system\s*\(|popen|shell_exec|passthru|proc_open|qx|File\s*\.\s*delete|FileUtils\s*\.\s*rm\w*|Dir\s*\.\s*delete|Deno\s*\.\s*(?:run|Command|remove)|Bun\s*\.\s*(?:spawn|\$)|__import__|eval\s*\(|exec\s*\()/;

/** Judges inline interpreter code: shell-outs are dangerous, and shell strings in them are judged too. */
function assessInlineCode(code: string, lang: string, f: Findings, ctx: Ctx): void {
  if (!SHELL_OUT.test(code) && !/`/.test(code)) return;
  f.add('dangerous', `${lang} code that runs commands or deletes files`);
  const literals = code.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? [];
  for (const lit of literals) {
    const inner = lit.slice(1, -1);
    if (!/\s/.test(inner)) continue;
    f.merge(analyseText(inner, { ...ctx, depth: ctx.depth + 1 }));
  }
}

function analyseText(text: string, ctx: Ctx): Findings {
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
  for (const p of list.pipelines) analysePipeline(p, f, ctx);
}

function analysePipeline(p: Pipeline, f: Findings, ctx: Ctx): void {
  p.commands.forEach((cmd, idx) => analyseCommand(cmd, p.commands.slice(0, idx), f, ctx));
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

/** Runs the analysis on a shell string that another program will execute (`bash -c`, `eval`). */
function analysePayload(payload: string, f: Findings, ctx: Ctx): void {
  if (ctx.carried) ctx.carried.value = true;
  f.merge(analyseText(payload, { ...ctx, depth: ctx.depth + 1 }));
}

function analyseWords(words: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  const piped = upstream.length > 0;
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

    // --- wrappers: note what they add, then judge the command they run
    if (PRIVILEGE.has(prog)) {
      f.add('dangerous', `runs with elevated privileges (${prog})`);
      if (prog === 'su') {
        const c = args.findIndex((w) => w.text === '-c' || w.text === '--command');
        if (c !== -1 && args[c + 1]) analysePayload(args[c + 1]!.text, f, ctx);
        return;
      }
      if (prog === 'sudoedit') return args.forEach((w) => checkWriteTarget(w.text, 'sudoedit', f, ctx));
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) {
        const t = args[i]!.text;
        if (t === '--') {
          i++;
          break;
        }
        if (t === '-e') return args.slice(i + 1).forEach((w) => checkWriteTarget(w.text, 'sudo -e', f, ctx));
        i += /^-[ughpCDrtUT]$/.test(t) ? 2 : 1;
      }
      words = stripPrefix(args.slice(i));
      continue;
    }
    if (prog === 'env') {
      let i = 0;
      while (i < args.length) {
        const t = args[i]!.text;
        if (t === '-S' || t === '--split-string') {
          analysePayload(args.slice(i + 1).map((w) => w.text).join(' '), f, ctx);
          return;
        }
        if (t.startsWith('--split-string=')) {
          analysePayload(t.slice('--split-string='.length) + ' ' + args.slice(i + 1).map((w) => w.text).join(' '), f, ctx);
          return;
        }
        if (/^-[uCP]$/.test(t) || t === '--unset' || t === '--chdir') i += 2;
        else if (t.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(t)) {
          if (/^(?:LD_PRELOAD|LD_LIBRARY_PATH|DYLD_INSERT_LIBRARIES)=/.test(t)) f.add('dangerous', 'preloads a library into the command');
          i++;
        } else break;
      }
      words = args.slice(i);
      continue;
    }
    const simpleWrappers: Record<string, RegExp> = {
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
      doas: /^-[uC]$/,
      proxychains: /^-f$/,
      proxychains4: /^-f$/,
      torsocks: /^$/,
      firejail: /^$/,
    };
    if (prog in simpleWrappers) {
      const takesValue = simpleWrappers[prog]!;
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) i += takesValue.test(args[i]!.text) ? 2 : 1;
      words = stripPrefix(args.slice(i));
      continue;
    }
    if (prog === 'command') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) {
        if (/[vV]/.test(args[i]!.text)) return; // `command -v x` only looks x up
        i++;
      }
      words = args.slice(i);
      continue;
    }
    if (prog === 'timeout' || prog === 'gtimeout') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) i += /^-[sk]$/.test(args[i]!.text) ? 2 : 1;
      words = args.slice(i + 1); // the duration
      continue;
    }
    if (prog === 'chrt' || prog === 'taskset') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) {
        if (/^-(?:p|-pid)$/.test(args[i]!.text)) return;
        i++;
      }
      words = args.slice(i + 1); // priority / cpu mask
      continue;
    }
    if (prog === 'flock') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) {
        if (/^-(?:c|-command)$/.test(args[i]!.text) && args[i + 1]) return analysePayload(args[i + 1]!.text, f, ctx);
        i += /^-[wE]$/.test(args[i]!.text) ? 2 : 1;
      }
      words = args.slice(i + 1); // the lock file
      continue;
    }
    if (prog === 'watch') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) i += /^-[nq]$/.test(args[i]!.text) ? 2 : 1;
      analysePayload(args.slice(i).map((w) => w.text).join(' '), f, ctx);
      return;
    }
    if (prog === 'busybox' || prog === 'toybox') {
      words = args;
      continue;
    }
    if (prog === 'xargs' || prog === 'parallel') {
      let i = 0;
      while (i < args.length && args[i]!.text.startsWith('-')) i += /^-[IEdLnPsaJ]$/.test(args[i]!.text) || args[i]!.text === '--arg-file' ? 2 : 1;
      const inner = stripPrefix(args.slice(i));
      const innerProg = inner[0] ? basename(inner[0].text) : 'echo';
      if (DESTRUCTIVE_FOR_XARGS.has(innerProg)) f.add('dangerous', `${prog} feeds unknown arguments to ${innerProg}`, true);
      if (SHELLS.has(innerProg) || INTERPRETERS.has(innerProg)) f.add('dangerous', `${prog} runs ${innerProg} on its input`, true);
      words = inner;
      continue;
    }

    // --- shells and interpreters
    if (SHELLS.has(prog)) {
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
      if (script?.proc) {
        const dl = cmd.nested.some(containsDownloader);
        f.add('dangerous', dl ? `runs a downloaded script (${prog} <(…))` : `runs the output of a command as a ${prog} script`, true);
        return;
      }
      if (script?.subst) {
        f.add('dangerous', `runs a ${prog} script whose name comes from a command substitution`, true);
        return;
      }
      if (!script) {
        for (const body of cmd.heredocs) analysePayload(body, f, ctx);
        if (piped) describePipeToInterpreter(prog, upstream, f);
      }
      return;
    }
    if (prog === 'eval') {
      analysePayload(args.map((w) => w.text).join(' '), f, ctx);
      if (args.some((w) => w.subst)) f.add('dangerous', 'eval runs the output of a command substitution', true);
      return;
    }
    if (prog === 'source' || prog === '.') {
      const target = args[0];
      if (target?.proc) {
        f.add('dangerous', cmd.nested.some(containsDownloader) ? 'sources a downloaded script' : 'sources the output of a command', true);
      } else if (target && piped && /^\/dev\/(?:stdin|fd\/0)$/.test(target.text)) {
        describePipeToInterpreter(prog, upstream, f);
      }
      return;
    }
    if (INTERPRETERS.has(prog) || /^python\d(?:\.\d+)?$/.test(prog)) {
      analyseInterpreter(prog, args, cmd, upstream, f, ctx);
      return;
    }

    analyseProgram(prog, args, f, ctx);
    return;
  }
}

function describePipeToInterpreter(prog: string, upstream: SimpleCommand[], f: Findings): void {
  const kind = upstreamKind(upstream);
  if (kind === 'download') f.add('dangerous', `pipes downloaded content into ${prog}`, true);
  else if (kind === 'decode') f.add('dangerous', `pipes decoded or transformed content into ${prog} (obfuscated command)`, true);
  else f.add('dangerous', `pipes generated input into ${prog} to run it`, true);
}

function analyseInterpreter(prog: string, args: Word[], cmd: SimpleCommand, upstream: SimpleCommand[], f: Findings, ctx: Ctx): void {
  const lang = prog.replace(/\d.*$/, '');
  const codeFlags: Record<string, RegExp> = {
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
  const flag = codeFlags[lang];
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
    f.add('dangerous', cmd.nested.some(containsDownloader) ? `runs a downloaded script with ${prog}` : `runs the output of a command with ${prog}`, true);
    return;
  }
  if (!script || script.text === '-') {
    for (const body of cmd.heredocs) assessInlineCode(body, prog, f, ctx);
    if (upstream.length) describePipeToInterpreter(prog, upstream, f);
  }
}

function analyseRm(args: Word[], f: Findings, ctx: Ctx): void {
  const { short, long, operands } = splitArgs(args);
  const recursive = short.has('r') || short.has('R') || hasLong(long, 'recursive', 3);
  const before = f.list.length;
  if (hasLong(long, 'no-preserve-root', 4)) f.add('hardline', 'rm --no-preserve-root');
  for (const op of operands) {
    const p = homeRelative(op, ctx.home);
    if (isRootLike(op)) {
      if (recursive || op.includes('*')) f.add('hardline', 'recursive delete of the filesystem root');
      else f.add('dangerous', 'deletes at the filesystem root');
    } else if (isHomeLike(op, ctx.home)) {
      if (recursive || op.includes('*')) f.add('hardline', 'recursive delete of the home directory');
      else f.add('dangerous', 'deletes in the home directory');
    } else if (p.startsWith('/') && HARDLINE_RM_DIRS.has(lexicalAbs(p.replace(/\/\*$/, ''))) && recursive) {
      f.add('hardline', `recursive delete of the system directory ${lexicalAbs(p.replace(/\/\*$/, ''))}`);
    } else if (p.startsWith('/') || p.startsWith('~')) {
      f.add('dangerous', recursive ? `recursive delete of ${op}` : `deletes ${op} outside the workspace`);
    } else if (/^(?:\.\/)?(?:\*|\.\*|\*\.\*|\.|\.\.)\/?$/.test(op) || /^(?:\.\.\/)+\*?$/.test(op)) {
      f.add('dangerous', `deletes everything matching ${op}`);
    }
  }
  // The generic reason only when no operand gave a more precise one.
  if (recursive && f.list.length === before) f.add('dangerous', 'recursive delete');
  const sensitive = operands.map((o) => sensitiveWriteReason(o, ctx.home)).find((r) => r && r.level === 'dangerous');
  if (sensitive) f.add('dangerous', `deletes: ${sensitive.reason.replace(/^writes to /, '')}`);
}

function broadPath(op: string, ctx: Ctx): boolean {
  return isRootLike(op) || isHomeLike(op, ctx.home) || /^(?:\.|\*|\.\/\*|~.*)$/.test(op) || (op.startsWith('/') && SYSTEM_DIRS.some((d) => lexicalAbs(op) === d || lexicalAbs(op).startsWith(d + '/')));
}

const GIT_EXEC_KEYS = /^(?:core\.(?:hookspath|sshcommand|pager|editor|fsmonitor|gitproxy)|alias\.|protocol\.ext\.allow|uploadpack\.packobjectshook|diff\.external|.*\.textconv)/i;

function analyseGit(args: Word[], f: Findings): void {
  // Global options before the subcommand: `git -C dir -c k=v push …`.
  let i = 0;
  while (i < args.length && args[i]!.text.startsWith('-')) {
    // `git -c core.hooksPath=… commit` runs whatever the hooks path holds.
    if (args[i]!.text === '-c' && GIT_EXEC_KEYS.test(args[i + 1]?.text ?? '')) f.add('dangerous', 'git -c setting that makes git run other programs');
    i += /^-[Cc]$/.test(args[i]!.text) ? 2 : 1;
  }
  const sub = args[i]?.text ?? '';
  const rest = args.slice(i + 1);
  const { short, long, operands } = splitArgs(rest);
  const texts = rest.map((w) => w.text);
  switch (sub) {
    case 'push':
      if (short.has('f') || hasLong(long, 'force', 4) || hasLong(long, 'force-with-lease') || hasLong(long, 'force-if-includes')) {
        f.add('dangerous', 'git force push (rewrites remote history)');
      }
      if (operands.some((o) => o.startsWith('+'))) f.add('dangerous', 'git force push via a +refspec');
      if (hasLong(long, 'mirror') || hasLong(long, 'delete', 3) || short.has('d') || operands.some((o) => /^:./.test(o))) {
        f.add('dangerous', 'git push that deletes remote branches');
      }
      if (hasLong(long, 'prune')) f.add('dangerous', 'git push --prune deletes remote branches');
      break;
    case 'reset':
      if (long.some((l) => /^--h(?:a(?:r(?:d)?)?)?$/.test(l)) || hasLong(long, 'merge') || hasLong(long, 'keep')) f.add('dangerous', 'git reset --hard (discards uncommitted changes)');
      break;
    case 'clean':
      if (short.has('f') || hasLong(long, 'force')) f.add('dangerous', 'git clean -f (deletes untracked files)');
      break;
    case 'checkout':
      if (texts.includes('--') || operands.includes('.') || short.has('f') || hasLong(long, 'force') || operands.some((o) => o.includes('*'))) {
        f.add('dangerous', 'git checkout that discards local changes');
      }
      break;
    case 'restore':
      if (!(short.has('S') || hasLong(long, 'staged')) || short.has('W') || hasLong(long, 'worktree')) {
        if (operands.length) f.add('dangerous', 'git restore discards local changes');
      }
      break;
    case 'switch':
      if (short.has('f') || hasLong(long, 'discard-changes') || hasLong(long, 'force') || short.has('C')) f.add('dangerous', 'git switch that discards changes');
      break;
    case 'branch':
      if (rest.some((w) => /^-[a-zA-Z]*D/.test(w.text)) || ((short.has('d') || hasLong(long, 'delete')) && (short.has('f') || hasLong(long, 'force')))) {
        f.add('dangerous', 'git branch force delete');
      }
      if (rest.some((w) => /^-[a-zA-Z]*M/.test(w.text))) f.add('dangerous', 'git branch force rename');
      break;
    case 'stash':
      if (operands[0] === 'drop' || operands[0] === 'clear') f.add('dangerous', `git stash ${operands[0]} (deletes stashed work)`);
      break;
    case 'filter-branch':
    case 'filter-repo':
      f.add('dangerous', `git ${sub} rewrites history`);
      break;
    case 'reflog':
      if (operands[0] === 'expire' || operands[0] === 'delete') f.add('dangerous', 'git reflog expire/delete (drops recovery points)');
      break;
    case 'update-ref':
      if (short.has('d')) f.add('dangerous', 'git update-ref -d deletes a ref');
      break;
    case 'gc':
      if (long.some((l) => /^--prune=now/.test(l))) f.add('dangerous', 'git gc --prune=now drops unreachable commits');
      break;
    case 'config':
      if (operands.some((o) => GIT_EXEC_KEYS.test(o))) f.add('dangerous', 'git config that makes git run other programs');
      break;
  }
}

function analyseProgram(prog: string, args: Word[], f: Findings, ctx: Ctx): void {
  const { short, long, operands } = splitArgs(args);
  const texts = args.map((w) => w.text);
  const lastOperand = (): string | undefined => {
    const t = long.find((l) => l.startsWith('--target-directory='));
    if (t) return t.split('=')[1];
    const ti = texts.indexOf('-t');
    if (ti !== -1) return texts[ti + 1];
    return operands.at(-1);
  };
  switch (prog) {
    case 'rm':
      return analyseRm(args, f, ctx);
    case 'shred':
    case 'truncate':
    case 'wipe':
    case 'srm':
      f.add('dangerous', `${prog} destroys file contents`);
      operands.forEach((o) => checkWriteTarget(o, prog, f, ctx));
      return;
    case 'unlink':
      operands.forEach((o) => checkWriteTarget(o, 'unlink', f, ctx));
      return;
    case 'chmod': {
      const recursive = short.has('R') || hasLong(long, 'recursive');
      const mode = operands[0] ?? '';
      const worldWritable = /^0?[0-7]?[0-7][0-7][2367]$/.test(mode) || /(?:^|,)[ugo]*[ao][ugo]*[+=][rwxXst]*w/.test(mode) || /^[+=][rwxXst]*w/.test(mode);
      const targets = operands.slice(1);
      const broad = targets.some((t) => broadPath(t, ctx));
      if (recursive && worldWritable && targets.some((t) => isRootLike(t))) f.add('hardline', 'chmod -R 777 on the filesystem root');
      if (worldWritable) f.add('dangerous', `chmod ${mode} makes files world-writable`);
      if (recursive && broad) f.add('dangerous', 'recursive chmod on a broad path');
      if (targets.some((t) => /^~\/\.ssh/.test(homeRelative(t, ctx.home)))) f.add('dangerous', 'changes permissions of SSH files');
      return;
    }
    case 'chown':
    case 'chgrp':
    case 'chattr':
    case 'setfacl':
      if (short.has('R') || hasLong(long, 'recursive')) f.add('dangerous', `recursive ${prog}`);
      if (operands.slice(1).some((t) => broadPath(t, ctx))) f.add('dangerous', `${prog} on a system or broad path`);
      return;
    case 'dd': {
      for (const t of texts) {
        if (t.startsWith('of=')) {
          const target = t.slice(3);
          const r = sensitiveWriteReason(target, ctx.home);
          if (r) f.add(r.level, `dd ${r.reason.replace(/^writes to /, 'onto ')}`);
          else if (target.startsWith('/')) f.add('dangerous', `dd writes to ${target}`);
        }
      }
      return;
    }
    case 'mkswap':
    case 'wipefs':
    case 'blkdiscard':
    case 'sgdisk':
    case 'sfdisk':
    case 'fdisk':
    case 'gdisk':
    case 'parted':
    case 'cfdisk':
    case 'diskutil':
    case 'newfs':
    case 'mke2fs':
    case 'cryptsetup':
    case 'zpool':
    case 'lvremove':
    case 'vgremove':
    case 'pvremove':
      return analyseDiskTool(prog, operands, f);
    case 'tee':
      operands.forEach((o) => checkWriteTarget(o, 'tee', f, ctx));
      return;
    case 'cp':
    case 'mv':
    case 'install':
    case 'ln':
    case 'rsync':
    case 'scp': {
      const dest = lastOperand();
      if (dest && (operands.length >= 2 || texts.includes('-t') || long.some((l) => l.startsWith('--target-directory')))) {
        checkWriteTarget(dest, prog, f, ctx);
        if (prog === 'mv' && dest === '/dev/null') f.add('dangerous', 'mv onto /dev/null replaces the device (and loses the file)');
      }
      if (prog === 'rsync' && long.some((l) => l.startsWith('--delete') || l === '--remove-source-files')) f.add('dangerous', 'rsync --delete removes files at the destination');
      if (prog === 'mv' && operands.slice(0, -1).some((o) => isRootLike(o) || isHomeLike(o, ctx.home) || sensitiveWriteReason(o, ctx.home)?.level === 'dangerous')) {
        f.add('dangerous', 'moves a system, home or secrets path away');
      }
      return;
    }
    case 'tar':
    case 'unzip':
    case 'bsdtar': {
      // Extracting into a system folder or home overwrites what is there.
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i]!;
        const dest = t === '-C' || t === '--directory' || (prog === 'unzip' && t === '-d') ? texts[i + 1] : t.startsWith('--directory=') ? t.slice(12) : undefined;
        if (dest) checkWriteTarget(dest, `${prog} extract`, f, ctx);
        if (dest && (isRootLike(dest) || isHomeLike(dest, ctx.home))) f.add('dangerous', `${prog} extracts into ${dest}`);
      }
      return;
    }
    case 'sed':
      if (short.has('i') || long.some((l) => l.startsWith('--in-place'))) operands.slice(1).forEach((o) => checkWriteTarget(o, 'sed -i', f, ctx));
      return;
    case 'curl':
    case 'wget': {
      for (let i = 0; i < texts.length; i++) {
        const t = texts[i]!;
        if ((t === '-o' || t === '--output' || (prog === 'wget' && (t === '-O' || t === '--output-document'))) && texts[i + 1] && texts[i + 1] !== '-') {
          checkWriteTarget(texts[i + 1]!, `${prog} output`, f, ctx);
        }
        if (t.startsWith('--output-document=') || t.startsWith('--output=')) checkWriteTarget(t.split('=')[1] ?? '', `${prog} output`, f, ctx);
      }
      // Uploading a secrets file (`curl -T ~/.ssh/id_rsa`, `-d @.env`, `-F f=@~/.aws/credentials`).
      if (prog === 'curl' && texts.some((t) => /(?:^@|=@|^)(?:~|\$HOME|\/home\/[^/]+|\/root)?\/?\.(?:ssh|aws|env\b|netrc|git-credentials)/.test(t) && (t.includes('@') || texts.some((u) => u === '-T' || u === '--upload-file')))) {
        f.add('dangerous', 'uploads a secrets file');
      }
      return;
    }
    case 'git':
      return analyseGit(args, f);
    case 'kill':
      if (texts.some((t) => t === '-1') || (texts.includes('--') && texts.at(-1) === '-1')) f.add('dangerous', 'kill -1 signals every process');
      if (operands.some((o) => o === '1' || o === '0')) f.add('dangerous', 'kills init or the whole process group');
      return;
    case 'killall':
    case 'pkill':
    case 'killall5':
      f.add('dangerous', `${prog} kills processes by name`);
      return;
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
      f.add('dangerous', `${prog} the machine`);
      return;
    case 'init':
    case 'telinit':
      if (operands.some((o) => /^[06sS]$/.test(o))) f.add('dangerous', `${prog} ${operands[0]} shuts down or reboots`);
      return;
    case 'systemctl':
    case 'service':
      if (operands.some((o) => /^(?:poweroff|reboot|halt|kexec|suspend|hibernate|emergency|rescue|isolate)$/.test(o))) f.add('dangerous', `${prog} power/state change`);
      else if (operands.some((o) => /^(?:stop|restart|disable|mask|kill|daemon-reexec|start|enable)$/.test(o))) f.add('dangerous', `${prog} changes system services`);
      return;
    case 'crontab':
      if (short.has('r') || short.has('e') || operands.length > 0 || texts.length === 0) f.add('dangerous', 'crontab changes scheduled jobs');
      return;
    case 'at':
    case 'batch':
      f.add('dangerous', `${prog} schedules a command`);
      return;
    case 'history':
      if (short.has('c') || short.has('d') || short.has('w')) f.add('dangerous', 'history edit (erases shell history)');
      return;
    case 'find': {
      if (texts.includes('-delete')) f.add('dangerous', 'find -delete');
      for (let i = 0; i < texts.length; i++) {
        if (/^-(?:exec|execdir|ok|okdir)$/.test(texts[i]!)) {
          const end = texts.findIndex((t, j) => j > i && (t === ';' || t === '+'));
          const inner = args.slice(i + 1, end === -1 ? undefined : end);
          const innerProg = inner[0] ? basename(inner[0].text) : '';
          if (DESTRUCTIVE_FOR_XARGS.has(innerProg)) f.add('dangerous', `find -exec ${innerProg}`);
          const sub = new Findings();
          analyseWords(stripPrefix(inner), { words: inner, redirects: [], heredocs: [], nested: [] }, [], sub, ctx);
          f.merge(sub);
        }
      }
      if (texts.some((t) => /^-f?prin(?:t|tf)$/.test(t)) && texts.includes('-fprint')) f.add('dangerous', 'find -fprint writes a file');
      return;
    }
    case 'mkfs':
      f.add('dangerous', 'formats a filesystem');
      if (operands.some((o) => BLOCK_DEVICE.test(o))) f.add('hardline', 'formats a disk device');
      return;
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun':
    case 'cargo':
    case 'gem':
    case 'twine':
    case 'poetry':
    case 'flit':
    case 'hatch':
    case 'dotnet':
    case 'mvn':
    case 'gradle': {
      const sub = operands[0] ?? '';
      if (/^(?:publish|unpublish|deprecate|upload|push|release|deploy|yank|owner|dist-tag)$/.test(sub) || (prog === 'gem' && sub === 'push') || (prog === 'twine' && sub === 'upload')) {
        f.add('dangerous', `${prog} ${sub} publishes to a registry`);
      }
      if (/^(?:uninstall|unlink|remove|rm|r|un)$/.test(sub) && (short.has('g') || hasLong(long, 'global'))) f.add('dangerous', `${prog} ${sub} -g removes global packages`);
      if (sub === 'config' && operands[1] === 'set') f.add('dangerous', `${prog} config set changes global configuration`);
      if (prog === 'npm' && sub === 'cache' && operands[1] === 'clean') f.add('dangerous', 'npm cache clean');
      return;
    }
    case 'pip':
    case 'pip3':
      if (operands[0] === 'uninstall') f.add('dangerous', 'pip uninstall');
      return;
    case 'brew':
    case 'apt':
    case 'apt-get':
    case 'dnf':
    case 'yum':
    case 'pacman':
    case 'snap':
      if (operands.some((o) => /^(?:remove|purge|uninstall|autoremove|erase|rm)$/.test(o)) || short.has('R')) f.add('dangerous', `${prog} removes system packages`);
      return;
    case 'docker':
    case 'podman': {
      const ops = operands;
      const sub = ops[0] ?? '';
      if ((sub === 'system' || sub === 'volume' || sub === 'image' || sub === 'container' || sub === 'network' || sub === 'builder') && ops[1] === 'prune') f.add('dangerous', `${prog} ${sub} prune deletes data`);
      if (sub === 'volume' && (ops[1] === 'rm' || ops[1] === 'remove')) f.add('dangerous', `${prog} volume rm deletes data`);
      if (sub === 'rm' || sub === 'rmi' || sub === 'kill' || sub === 'stop') f.add('dangerous', `${prog} ${sub}`);
      if (sub === 'push') f.add('dangerous', `${prog} push publishes an image`);
      if (sub === 'run' && (texts.includes('--privileged') || texts.some((t) => /^(?:-v|--volume)$/.test(t)) && texts.some((t) => /^\/:/.test(t) || t.startsWith('/var/run/docker.sock')))) {
        f.add('dangerous', `${prog} run with host access`);
      }
      if (hasLong(long, 'host') || short.has('H')) f.add('dangerous', `${prog} against another daemon`);
      return;
    }
    case 'docker-compose':
      if (operands.some((o) => o === 'down' || o === 'rm' || o === 'kill') && (short.has('v') || hasLong(long, 'volumes'))) f.add('dangerous', 'docker compose down -v deletes volumes');
      return;
    case 'kubectl':
    case 'helm':
      if (operands.some((o) => /^(?:delete|drain|uninstall|replace|scale)$/.test(o))) f.add('dangerous', `${prog} ${operands.find((o) => /^(?:delete|drain|uninstall|replace|scale)$/.test(o))}`);
      return;
    case 'terraform':
    case 'tofu':
    case 'pulumi':
      if (operands[0] === 'destroy' || (operands[0] === 'apply' && texts.some((t) => t === '-auto-approve' || t === '--yes'))) f.add('dangerous', `${prog} ${operands[0]} changes infrastructure`);
      return;
    case 'psql':
    case 'mysql':
    case 'sqlite3':
    case 'mongosh':
    case 'redis-cli': {
      const sql = texts.join(' ');
      if (/\b(?:DROP\s+(?:TABLE|DATABASE|SCHEMA)|TRUNCATE\b|FLUSHALL|FLUSHDB|dropDatabase)/i.test(sql) || /\bDELETE\s+FROM\b(?![^;]*\bWHERE\b)/i.test(sql)) {
        f.add('dangerous', 'destructive database statement');
      }
      return;
    }
    case 'iptables':
    case 'ip6tables':
    case 'nft':
    case 'ufw':
      if (short.has('F') || hasLong(long, 'flush') || operands.some((o) => o === 'flush' || o === 'disable' || o === 'reset')) f.add('dangerous', `${prog} drops firewall rules`);
      return;
    case 'passwd':
    case 'chpasswd':
    case 'usermod':
    case 'userdel':
    case 'useradd':
    case 'visudo':
    case 'mount':
    case 'umount':
    case 'swapoff':
    case 'insmod':
    case 'rmmod':
    case 'modprobe':
    case 'sysctl':
      if (prog !== 'sysctl' || short.has('w')) f.add('dangerous', `${prog} changes system configuration`);
      return;
    case 'launchctl':
      if (operands.some((o) => /^(?:unload|bootout|remove|stop|disable|kill)$/.test(o))) f.add('dangerous', 'launchctl stops services');
      return;
    case 'osascript':
      return;
    case 'nc':
    case 'ncat':
    case 'netcat':
      if (short.has('e') || short.has('c') || hasLong(long, 'exec') || hasLong(long, 'sh-exec')) f.add('dangerous', `${prog} -e exposes a shell over the network`);
      return;
    case 'export':
      if (operands.some((o) => /^(?:LD_PRELOAD|DYLD_INSERT_LIBRARIES|PROMPT_COMMAND|BASH_ENV|ENV)=/.test(o))) f.add('dangerous', 'export of a variable that makes the shell run code');
      return;
    case 'alias':
      if (operands.some((o) => /^(?:sudo|ls|cd|git|cat|echo)=/.test(o))) f.add('dangerous', 'alias shadows a common command');
      return;
    case 'trap':
      return;
  }
  if (/^mkfs(?:\.|$)/.test(prog) || /^newfs_/.test(prog) || /^mkfs\./.test(prog)) {
    f.add('dangerous', `${prog} formats a filesystem`);
    if (operands.some((o) => BLOCK_DEVICE.test(o))) f.add('hardline', 'formats a disk device');
  }
}

function analyseDiskTool(prog: string, operands: string[], f: Findings): void {
  const onDevice = operands.some((o) => BLOCK_DEVICE.test(o));
  if (prog === 'mke2fs' && onDevice) f.add('hardline', 'formats a disk device');
  if (prog === 'diskutil' && operands.some((o) => /^(?:erase\w*|zerodisk|randomdisk|secureerase|reformat|partitiondisk)$/i.test(o))) f.add('hardline', 'diskutil erases a disk');
  f.add('dangerous', `${prog} can destroy disk data`);
}

// ---------------------------------------------------------------------------------------------
// Pattern

function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./~^-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The canonical text of a list that is exactly one simple command with no nesting, else null. */
function singleCommandText(list: CommandList): string | null {
  if (list.pipelines.length !== 1) return null;
  const cmds = list.pipelines[0]!.commands;
  if (cmds.length !== 1) return null;
  const cmd = cmds[0]!;
  if (cmd.nested.length || cmd.heredocs.length) return null;
  if (cmd.words.some((w) => w.dynamic || w.proc) || cmd.redirects.some((r) => r.target.dynamic)) return null;
  const parts = cmd.words.map((w) => shellQuote(w.text));
  for (const r of cmd.redirects) parts.push(r.op, shellQuote(r.target.text));
  return parts.join(' ');
}

/**
 * Judges a shell command. Never throws. The level is the worst of every simple command the
 * shell would run, including nested and wrapped ones.
 */
export function assessCommand(command: string, options: DetectorOptions = {}): CommandAssessment {
  const carried = { value: false };
  const ctx: Ctx = { home: options.home, depth: 0, carried };
  const findings = analyseText(command, ctx);
  let level: RiskLevel = 'safe';
  for (const f of findings.list) level = maxLevel(level, f.level);
  // Worst first, so prompts and refusals lead with what matters.
  const reasons = [...findings.list].sort((a, b) => LEVEL_RANK[b.level] - LEVEL_RANK[a.level]).map((f) => f.reason);
  const norm = normalizeCommand(command);
  let single: string | null = null;
  try {
    single = singleCommandText(parseShell(norm));
  } catch {
    single = null;
  }
  const compound = single === null || carried.value;
  const unstable = findings.list.some((f) => f.unstable);
  const pattern = level === 'hardline' || unstable || norm === '' ? undefined : compound ? norm : (single ?? norm);
  return { level, reasons, pattern, compound };
}

/**
 * Judges a file write by a tool. Outside the workspace → dangerous (asks); SSH files, shell
 * startup files, `.env` files (even inside the workspace), credentials and system dirs →
 * dangerous; raw disk devices → hardline.
 */
export function assessFileWrite(path: string, workspace: string, home?: string): { level: RiskLevel; reasons: string[]; pattern: string; absolute: string } {
  const expanded = home && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path;
  const absolute = lexicalAbs(expanded.startsWith('/') ? expanded : `${workspace.replace(/\/+$/, '')}/${expanded}`);
  const ws = lexicalAbs(workspace);
  const reasons: string[] = [];
  let level: RiskLevel = 'safe';
  const inside = absolute === ws || absolute.startsWith(ws === '/' ? '/' : ws + '/');
  if (!inside) {
    level = 'dangerous';
    reasons.push(`writes outside the workspace (${absolute})`);
  }
  const r = sensitiveWriteReason(absolute, home);
  if (r) {
    level = maxLevel(level, r.level);
    reasons.push(r.reason);
  }
  return { level, reasons, pattern: `write ${absolute}`, absolute };
}
