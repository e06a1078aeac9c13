/**
 * The approval policy: given a tool call and the session's mode and rules, allow it, ask the
 * user, or refuse it. Pure: everything it needs comes in through `decide`'s input.
 *
 * Order: hardline → refuse (every mode, yolo included); read-only tool → allow; nothing flagged
 * → allow; yolo → allow; a session rule or allowlist entry covering the pattern → allow;
 * deny mode → refuse; else ask.
 *
 * The terminal tool depends on whether a working sandbox confines its commands (`sandboxed`):
 * - `sandbox: false` in the call (run this one outside the sandbox) while sandboxed → always
 *   asks, yolo included, no rule applies, `once`/`deny` only, marked `outsideSandbox`;
 * - sandboxed, or approvals.mode `auto` → asks only about what the detector flags (auto without
 *   a sandbox is the weaker choice: a command nobody foresaw runs unasked);
 * - not sandboxed, mode `ask` → asks about every command except those `readOnlyVerdict` calls
 *   read-only and the detector does not flag; rules still allow what the user allowed.
 *
 * File tools are judged on the real path their call leads to (`paths.ts`; the caller resolves
 * links): HERMES_HOME is refused like a hardline command, for reads too; a write outside the
 * workspace or to a file that runs code (git hooks and config, shell startup files, `.env`)
 * asks; read_file and search_files ask outside the workspace and `tools.readable`.
 *
 * Rules: a rule equals a pattern (`rm -rf build`, `write /etc/hosts`) or, for a single simple
 * command only, is a user-written prefix ending in ` *` (`git push --force *`) or a folder
 * ending in `/*` (`write /srv/site/*`). Compound commands (`a; b`, `bash -c '…'`, nested
 * substitutions) match only verbatim, so no rule ever widens to a command chained after an
 * allowed one (OpenCode #40158).
 *
 * Choices: `always` and `session` are offered only with a pattern. Commands with no safe
 * pattern (downloads piped into a shell, dynamic command names, xargs feeding rm: their effect
 * changes between runs) get `once` / `deny` only. Compound commands get `once` / `session` /
 * `deny`: a verbatim chain is safe to repeat within a session but not worth persisting.
 */
import { posix } from 'node:path';
import type { ApprovalAsk, ApprovalDecision, ApprovalMode } from '@hermes/protocol';
import { assessCommand, type RiskLevel } from './detector/index.js';
import { readOnlyVerdict } from './read-only.js';
import { classifyPath, classifyWorkdir, describeTarget, type PathFacts, type PathScope } from './paths.js';

export interface PolicyInput {
  tool: string;
  args: Record<string, unknown>;
  workspace: string;
  mode: ApprovalMode;
  sessionRules: ReadonlySet<string>;
  allowlist: readonly string[];
  /** The user's home, to recognise `/home/me/.ssh` like `~/.ssh`. */
  home?: string;
  /** Overrides the built-in read-only table (for tools the policy does not know). */
  readOnly?: boolean;
  /**
   * Where the call's path really leads (file tools, a terminal workdir), symlinks resolved by
   * the caller (`tool/resolve.ts`). Without it, the path is judged as named.
   */
  target?: PathFacts;
  /** The session's real paths (workspace, HERMES_HOME, `tools.readable`); without it, the workspace as given. */
  scope?: PathScope;
  /**
   * A working sandbox confines this session's terminal commands (the caller knows; missing
   * means no, the safe default). It says whether a sandbox is there, not whether this call asked
   * to leave it: that is the call's `sandbox: false`, judged here.
   */
  sandboxed?: boolean;
  /** `tools.webFetch`: `ask` makes every web_fetch ask (rules per host still allow); default allow. */
  webFetch?: 'allow' | 'ask';
}

/** The policy's part of an approval ask (the run adds the call's id, tool and diff), and how risky it is. */
export type PolicyAsk = Pick<ApprovalAsk, 'summary' | 'reasons' | 'pattern' | 'patterns' | 'choices' | 'outsideSandbox'> & {
  level: Exclude<RiskLevel, 'safe' | 'hardline'>;
};

export type PolicyDecision = { action: 'allow'; rule?: string } | { action: 'ask'; ask: PolicyAsk } | { action: 'refuse'; reason: string };

const READ_ONLY_TOOLS = new Set(['read_file', 'search_files']);
/** Read-only tools the policy still judges (the others are allowed at once). */
const JUDGED_READS = new Set([...READ_ONLY_TOOLS, 'web_fetch']);
const WRITE_TOOLS = new Set(['write_file', 'patch']);

interface Assessment {
  level: RiskLevel;
  reasons: string[];
  summary: string;
  pattern?: string;
  /** Wider rules a `session`/`always` answer may pick instead of `pattern`. */
  patterns?: string[];
  compound: boolean;
}

/** True when `rule` allows `pattern`. Prefix rules apply to single commands only. */
export function ruleMatches(rule: string, pattern: string, compound: boolean): boolean {
  const r = rule.trim();
  if (!r) return false;
  if (r === pattern) return true;
  if (r.startsWith('mcp__') && r.endsWith('__*')) return pattern.startsWith(r.slice(0, -1));
  if (compound) return false;
  if (r.endsWith(' *')) {
    const prefix = r.slice(0, -2);
    return pattern === prefix || pattern.startsWith(prefix + ' ');
  }
  if (/^(?:write|read) \//.test(r) && r.endsWith('/*')) return pattern.startsWith(r.slice(0, -1));
  return false;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function assess(input: PolicyInput): Assessment {
  const { tool, args } = input;
  if (tool === 'terminal') {
    const command = str(args.command);
    const a = assessCommand(command, { home: input.home });
    const reasons = [...a.reasons];
    let level = a.level;
    const workdir = str(args.workdir);
    if (workdir) {
      const w = classifyWorkdir(factsOf(input, workdir), scopeOf(input));
      if (w.level !== 'safe' && level !== 'hardline') {
        // Running in a folder outside the workspace: every relative write lands there.
        level = 'dangerous';
        reasons.push(...w.reasons);
      }
    }
    return { level, reasons, summary: command, pattern: a.pattern, compound: a.compound || Boolean(workdir && level !== 'safe') };
  }
  if (WRITE_TOOLS.has(tool) || READ_ONLY_TOOLS.has(tool)) {
    const named = str(args.path) || (tool === 'search_files' ? '.' : '');
    const f = factsOf(input, named);
    const v = classifyPath(WRITE_TOOLS.has(tool) ? 'write' : 'read', f, scopeOf(input));
    // A refusal (HERMES_HOME, a raw disk) holds like a hardline command: every mode, no rule.
    const level: RiskLevel = v.level === 'refuse' ? 'hardline' : v.level;
    return { level, reasons: v.reasons, summary: `${tool} ${describeTarget(named, f)}`, pattern: v.pattern, compound: false };
  }
  if (tool === 'web_fetch') {
    // Which addresses it may reach is the fetcher's (web/guard.ts), in every mode; here only
    // whether the user wants to be asked. The rule is the host, so `always` covers a site.
    const url = str(args.url);
    let host = '';
    try {
      host = new URL(url).host;
    } catch {
      // an invalid URL fails in the tool, with its own message
    }
    const ask = input.webFetch === 'ask' && host !== '';
    return {
      level: ask ? 'dangerous' : 'safe',
      reasons: ask ? [`fetches ${host} (tools.webFetch is ask)`] : [],
      summary: `fetch ${url}`,
      ...(host ? { pattern: `fetch ${host}` } : {}),
      compound: false,
    };
  }
  if (tool.startsWith('mcp__')) {
    // An MCP server's tool: the server says what it does, the policy cannot. The rule is the
    // tool's own name; `mcp__server__*` (offered too, and in the allowlist) covers a whole server.
    const [, server = '?', name = '?'] = tool.split('__');
    return {
      level: 'dangerous',
      reasons: [`a tool of the MCP server ${server}; hermes cannot tell what it changes`],
      summary: `${server} › ${name} ${JSON.stringify(args)}`,
      pattern: tool,
      patterns: [`mcp__${server}__*`],
      compound: false,
    };
  }
  return {
    level: 'dangerous',
    reasons: [`${tool} is not a known tool; it may change things`],
    summary: tool,
    pattern: `tool ${tool}`,
    compound: false,
  };
}

/** The call's path as the caller resolved it, or as named (made absolute lexically). */
function factsOf(input: PolicyInput, named: string): PathFacts {
  if (input.target) return input.target;
  const home = input.home;
  const expanded = home && (named === '~' || named.startsWith('~/')) ? home + named.slice(1) : named;
  const requested = posix.resolve(input.workspace, expanded);
  return { requested, real: requested };
}

function scopeOf(input: PolicyInput): PathScope {
  return input.scope ?? { workspace: posix.resolve(input.workspace), readable: [], ...(input.home ? { home: input.home } : {}) };
}

/** Why an unsandboxed command asks even though the detector flags nothing. */
export const UNSANDBOXED_REASON = 'unsandboxed: no sandbox confines this command';
export const OUTSIDE_SANDBOX_REASON = 'runs outside the sandbox: it can write anywhere you can, read your credentials and use the network';

export function decide(input: PolicyInput): PolicyDecision {
  const readOnly = input.readOnly ?? READ_ONLY_TOOLS.has(input.tool);
  // read_file and search_files are judged by where they read (outside the workspace asks).
  if (readOnly && !JUDGED_READS.has(input.tool)) return { action: 'allow' };
  const a = assess(input);
  if (a.level === 'hardline') {
    return { action: 'refuse', reason: `Refused: ${a.reasons[0] ?? 'catastrophic command'}. This is never run, in any approval mode.` };
  }
  if (input.tool === 'terminal') {
    const sandboxed = input.sandboxed === true;
    if (sandboxed && input.args.sandbox === false) {
      // Leaving the sandbox is the user's call every time: no mode or rule answers for them.
      const reasons = [OUTSIDE_SANDBOX_REASON, ...a.reasons];
      if (input.mode === 'deny') return { action: 'refuse', reason: `Refused (approval mode is deny): ${reasons.join('; ')}` };
      return { action: 'ask', ask: { summary: a.summary, reasons, choices: ['once', 'deny'], level: 'dangerous', outsideSandbox: true } };
    }
    if (!sandboxed && input.mode !== 'auto' && input.mode !== 'yolo') {
      const ro = readOnlyVerdict(str(input.args.command));
      if (ro.readOnly && a.level === 'safe') return { action: 'allow' };
      a.reasons.push(...(ro.readOnly ? [] : [ro.reason]), UNSANDBOXED_REASON);
      return askOrRefuse(input, { ...a, level: 'dangerous' });
    }
  }
  if (a.level === 'safe') return { action: 'allow' };
  if (input.mode === 'yolo') return { action: 'allow' };
  return askOrRefuse(input, a);
}

/** A rule the user granted allows it; deny mode refuses it; else the user is asked. */
function askOrRefuse(input: PolicyInput, a: Assessment): PolicyDecision {
  if (a.pattern !== undefined) {
    const pattern = a.pattern;
    const rule = [...input.sessionRules, ...input.allowlist].find((r) => ruleMatches(r, pattern, a.compound));
    if (rule !== undefined) return { action: 'allow', rule };
  }
  if (input.mode === 'deny') {
    return { action: 'refuse', reason: `Refused (approval mode is deny): ${a.reasons.join('; ')}` };
  }
  const choices: ApprovalDecision[] =
    a.pattern === undefined ? ['once', 'deny'] : a.compound ? ['once', 'session', 'deny'] : ['once', 'session', 'always', 'deny'];
  const wider = a.pattern !== undefined && !a.compound && a.patterns?.length ? { patterns: a.patterns } : {};
  return { action: 'ask', ask: { summary: a.summary, reasons: a.reasons, pattern: a.pattern, ...wider, choices, level: 'dangerous' } };
}

/**
 * The rule an answer grants: the ask's `pattern`, or one of its wider `patterns` the client chose.
 * A client cannot name a rule of its own (it would allow what nobody was asked about).
 */
export function grantedRule(
  ask: Pick<ApprovalAsk, 'pattern' | 'patterns'>,
  answer: { decision: ApprovalDecision; pattern?: string | undefined },
): { ok: true; rule: string | undefined } | { ok: false; message: string } {
  if (answer.pattern === undefined)
    return { ok: true, rule: answer.decision === 'session' || answer.decision === 'always' ? ask.pattern : undefined };
  if (answer.decision !== 'session' && answer.decision !== 'always')
    return { ok: false, message: `a pattern goes with "session" or "always", not "${answer.decision}"` };
  const offered = [ask.pattern, ...(ask.patterns ?? [])].filter((p): p is string => p !== undefined);
  if (!offered.includes(answer.pattern)) {
    return {
      ok: false,
      message: `this approval offers ${offered.length ? offered.map((p) => JSON.stringify(p)).join(' or ') : 'no rule'}, not ${JSON.stringify(answer.pattern.slice(0, 200))}`,
    };
  }
  return { ok: true, rule: answer.pattern };
}
