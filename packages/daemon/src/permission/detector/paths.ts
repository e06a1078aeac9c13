/** Path spellings: home and root recognition, and which write targets are sensitive. */
import { BLOCK_DEVICE, CREDENTIAL_FILES, HARMLESS_DEVICES, SAFE_ENV_SUFFIXES, SHELL_RC, SYSTEM_DIRS } from './tables.js';
import type { Finding } from './types.js';

export function basename(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  const i = trimmed.lastIndexOf('/');
  return i === -1 ? trimmed : trimmed.slice(i + 1);
}

function collapseSlashes(p: string): string {
  return p.replace(/\/{2,}/g, '/');
}

/** Rewrites home spellings (`$HOME`, `${HOME}`, `/home/me`, `/root`) to `~`. */
export function homeRelative(p: string, home?: string): string {
  let out = collapseSlashes(p);
  out = out.replace(/^(?:\$HOME|\$\{HOME\})(?=\/|$)/, '~');
  if (home && home !== '/') {
    const h = collapseSlashes(home).replace(/\/$/, '');
    if (out === h || out.startsWith(h + '/')) out = '~' + out.slice(h.length);
  }
  // Someone's home is as precious as the user's: `~me`, `~root`, `/home/other`.
  out = out.replace(/^(?:\/home\/[^/]+|\/Users\/[^/]+|\/root|~[A-Za-z_][A-Za-z0-9_.-]*)(?=\/|$)/, '~');
  return out;
}

/**
 * Resolves a relative path against the directory an earlier `cd` in the same command list
 * moved to (`cd ~/.ssh && echo k >> authorized_keys` writes `~/.ssh/authorized_keys`).
 */
export function resolveIn(p: string, cwd: string | null | undefined): string {
  if (!cwd || p.startsWith('/') || p.startsWith('~') || p.startsWith('$')) return p;
  const base = cwd.replace(/\/+$/, '');
  const rel = p.replace(/^(?:\.\/)+/, '');
  if (rel === '.' || rel === '') return base || '/';
  return `${base}/${rel}`;
}

/** Lexically resolves `.` and `..` in an absolute path. */
export function lexicalAbs(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return '/' + parts.join('/');
}

export function isRootLike(p: string): boolean {
  if (!p.startsWith('/')) return false;
  const stripped = p.replace(/\*+$/, '');
  return lexicalAbs(stripped) === '/';
}

export function isHomeLike(p: string, home?: string): boolean {
  const h = homeRelative(p, home)
    .replace(/\/\*?$/, '')
    .replace(/\/\.$/, '');
  return h === '~' || h === '~/*';
}

/** The root, home, the current folder, a bare glob, or a system directory. */
export function broadPath(op: string, home?: string): boolean {
  return (
    isRootLike(op) ||
    isHomeLike(op, home) ||
    /^(?:\.|\*|\.\/\*|~.*)$/.test(op) ||
    (op.startsWith('/') && SYSTEM_DIRS.some((d) => lexicalAbs(op) === d || lexicalAbs(op).startsWith(d + '/')))
  );
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
  if (/(?:^|\/)\.git\/config$/.test(p))
    return { level: 'dangerous', reason: `writes git configuration, which can make git run programs (${p})` };
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
