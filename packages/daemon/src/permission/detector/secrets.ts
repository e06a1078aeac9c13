/**
 * What a command must not touch even to read it: credentials, and hermes' own home (its
 * settings decide what gets approved; `daemon.json` holds the token that answers approvals).
 */
import { homeRelative, lexicalAbs } from './paths.js';
import type { Ctx, Findings } from './types.js';

const SECRET_PATHS = [
  /^~\/\.ssh\/(?!.*\.pub$)(?!known_hosts$)(?!config$)[^/]+/,
  /^~\/\.ssh\/?$/,
  /^~\/\.(?:aws|gnupg|azure|terraform\.d)(?:\/|$)/,
  /^~\/\.config\/(?:gh|gcloud)(?:\/|$)/,
  /^~\/\.kube\/config$/,
  /^~\/\.docker\/config\.json$/,
  /^~\/\.(?:netrc|git-credentials|npmrc|pypirc|pgpass)$/,
  /^~\/\.cargo\/credentials/,
  /^\/etc\/(?:shadow|gshadow|sudoers)/,
];

/** Why reading `path` exposes a secret, or null. */
export function secretReadReason(path: string, home?: string): string | null {
  const p = homeRelative(path, home);
  return SECRET_PATHS.some((r) => r.test(p)) ? `reads a credentials file (${p})` : null;
}

/** True when `path` lies in HERMES_HOME (`$HERMES_HOME`, the configured one, or the default `~/.hermes`). */
export function inHermesHome(path: string, ctx: Pick<Ctx, 'home' | 'hermesHome'>): boolean {
  if (/\$\{?HERMES_HOME\b/.test(path)) return true;
  const p = homeRelative(path, ctx.home);
  if (/^~\/\.hermes(?:\/|$)/.test(p)) return true;
  if (ctx.hermesHome && p.startsWith('/')) {
    const h = lexicalAbs(ctx.hermesHome);
    const abs = lexicalAbs(p);
    return abs === h || abs.startsWith(h + '/');
  }
  return false;
}

export const HERMES_HOME_REASON = "touches hermes' own files (HERMES_HOME: approval settings and the daemon token)";

/** Flags a word that names a secret or HERMES_HOME (as an argument, redirect source or assignment value). */
export function checkSensitiveRead(text: string, f: Findings, ctx: Ctx): void {
  if (inHermesHome(text, ctx)) f.add('dangerous', HERMES_HOME_REASON);
  const s = secretReadReason(text, ctx.home);
  if (s) f.add('dangerous', s);
}

/** Variables whose value a program runs as code when it starts. */
const CODE_VARS =
  /^(?:LD_PRELOAD|LD_LIBRARY_PATH|LD_AUDIT|DYLD_INSERT_LIBRARIES|DYLD_LIBRARY_PATH|BASH_ENV|ENV|PROMPT_COMMAND|NODE_OPTIONS|PERL5OPT|PERL5LIB|RUBYOPT|PYTHONSTARTUP|GIT_CONFIG_PARAMETERS|GIT_CONFIG_COUNT|GIT_CONFIG_GLOBAL|GIT_CONFIG_SYSTEM|GIT_EXEC_PATH|GIT_TEMPLATE_DIR)$/;
/** Variables whose value is a command a program runs (judged like one). */
const COMMAND_VARS =
  /^(?:PAGER|GIT_PAGER|MANPAGER|SYSTEMD_PAGER|EDITOR|VISUAL|GIT_EDITOR|GIT_SEQUENCE_EDITOR|SUDO_EDITOR|GIT_SSH|GIT_SSH_COMMAND|GIT_PROXY_COMMAND|GIT_EXTERNAL_DIFF|GIT_ASKPASS|SSH_ASKPASS|SUDO_ASKPASS|LESSOPEN|LESSCLOSE|BROWSER|RSYNC_RSH|TAR_RSH|CVS_RSH|GIT_CONFIG_VALUE_\d+)$/;

/** Judges `NAME=value` words (prefix assignments, `env NAME=value`, `export NAME=value`). */
export function checkAssignment(word: string, f: Findings, ctx: Ctx): void {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\+?=(.*)$/s.exec(word);
  if (!m) return;
  const [, name = '', value = ''] = m;
  if (CODE_VARS.test(name)) f.add('dangerous', `sets ${name}, which makes programs load or run code`);
  if (name === 'HERMES_HOME') f.add('dangerous', HERMES_HOME_REASON);
  if (COMMAND_VARS.test(name) && value.trim()) {
    if (ctx.carried) ctx.carried.value = true;
    f.merge(ctx.analyser.text(value, { ...ctx, depth: ctx.depth + 1 }));
  }
  checkSensitiveRead(value, f, ctx);
}
