import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { McpServerConfig, McpServerName } from '@hermes/protocol';

/**
 * A workspace's own `.mcp.json` (Claude Code's project file: `{"mcpServers": {...}}`). A cloned
 * repository can put anything in it, so it is code the user has not agreed to run: it is read
 * here (bounded, once per run), hashed, and used only after the user approves that content
 * (`approvals.ts`). Only Claude's fields are taken: a project file cannot set hermes' own
 * knobs (`trust: all` would let every tool of its server run unasked).
 */

export const PROJECT_FILE = '.mcp.json';
const MAX_BYTES = 256 * 1024;
const MAX_SERVERS = 20;
/** The fields of Claude's `mcpServers` entries; the rest is dropped (and said so). */
const TAKEN = new Set(['type', 'command', 'args', 'env', 'cwd', 'url', 'headers']);

export interface ProjectFile {
  path: string;
  /** sha256 of the file's bytes: what an approval is bound to. */
  sha256: string;
  servers: Record<string, McpServerConfig>;
  /** Entries or fields left out, for the approval card and a notice. */
  problems: string[];
}

export type ProjectRead = { kind: 'none' } | { kind: 'invalid'; path: string; error: string } | { kind: 'file'; file: ProjectFile };

/** Reads `<workspace>/.mcp.json`: a regular file (no FIFO or device), at most 256 KiB. */
export async function readProjectFile(workspace: string): Promise<ProjectRead> {
  const file = path.join(workspace, PROJECT_FILE);
  let bytes: Buffer;
  try {
    // O_NONBLOCK: a FIFO planted as .mcp.json must not hang the run on open.
    const fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return { kind: 'invalid', path: file, error: 'not a regular file' };
      if (st.size > MAX_BYTES) return { kind: 'invalid', path: file, error: `larger than ${MAX_BYTES / 1024} KiB` };
      const buf = Buffer.alloc(st.size);
      const { bytesRead } = await fh.read(buf, 0, st.size, 0);
      bytes = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'none' };
    return { kind: 'invalid', path: file, error: (err as Error).message };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const parsed = parseProjectFile(bytes.toString('utf8'));
  if ('error' in parsed) return { kind: 'invalid', path: file, error: parsed.error };
  return { kind: 'file', file: { path: file, sha256, ...parsed } };
}

/** The servers of a project file's text, each checked like a config entry. Pure. */
export function parseProjectFile(text: string): { servers: Record<string, McpServerConfig>; problems: string[] } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
  const entries = raw && typeof raw === 'object' ? (raw as { mcpServers?: unknown }).mcpServers : undefined;
  if (!entries || typeof entries !== 'object' || Array.isArray(entries)) return { error: 'no "mcpServers" object' };
  const servers: Record<string, McpServerConfig> = {};
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(entries as Record<string, unknown>)) {
    if (Object.keys(servers).length >= MAX_SERVERS) {
      problems.push(`more than ${MAX_SERVERS} servers: the rest are left out`);
      break;
    }
    const shown = JSON.stringify(name).slice(0, 80);
    if (!McpServerName.safeParse(name).success) {
      problems.push(`${shown} left out: a server name is letters, digits, - and _`);
      continue;
    }
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${name} left out: not an object`);
      continue;
    }
    const taken: Record<string, unknown> = {};
    const dropped: string[] = [];
    for (const [k, v] of Object.entries(entry)) {
      if (TAKEN.has(k)) taken[k] = v;
      else dropped.push(k);
    }
    if (dropped.length) problems.push(`${name}: ignored ${dropped.map((k) => JSON.stringify(k).slice(0, 40)).join(', ')}`);
    const ok = McpServerConfig.safeParse(taken);
    if (!ok.success) {
      problems.push(`${name} left out: ${ok.error.issues.map((i) => `${i.path.join('.') || 'entry'}: ${i.message}`).join('; ')}`);
      continue;
    }
    servers[name] = ok.data;
  }
  return { servers, problems };
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g;

/** The environment variables a project's servers would read (`${VAR}`), for the approval card. */
export function variablesOf(servers: Record<string, McpServerConfig>): string[] {
  const names = new Set<string>();
  for (const s of Object.values(servers)) {
    const texts = [
      s.command ?? '',
      ...(s.args ?? []),
      s.cwd ?? '',
      s.url ?? '',
      ...Object.values(s.env ?? {}),
      ...Object.values(s.headers ?? {}),
    ];
    for (const t of texts) for (const m of t.matchAll(VAR)) names.add(m[1]!);
  }
  return [...names].sort();
}

/**
 * Control characters and bidi overrides shown as escapes: a hostile file must not be able to
 * hide part of a command from the person approving it (an escape sequence, a right-to-left mark).
 */
export function visible(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${visible(a).replace(/'/g, `'\\''`)}'`);

/**
 * What the approval card shows: every server with exactly what would run (command, arguments,
 * folder, environment) or be contacted (URL, header names and values as written: `${VAR}`
 * unexpanded, so the user sees which of their variables it would send).
 */
export function describeServers(servers: Record<string, McpServerConfig>): string[] {
  const lines: string[] = [];
  for (const [name, s] of Object.entries(servers)) {
    if (s.command !== undefined && s.type !== 'http' && s.type !== 'sse') {
      lines.push(`  ${name}: ${[s.command, ...(s.args ?? [])].map(quote).join(' ')}`);
      if (s.cwd) lines.push(`    in ${quote(s.cwd)}`);
      for (const [k, v] of Object.entries(s.env ?? {})) lines.push(`    env ${quote(k)}=${quote(v)}`);
    } else {
      lines.push(`  ${name}: ${s.type === 'sse' ? 'sse' : 'http'} ${visible(s.url ?? '')}`);
      for (const [k, v] of Object.entries(s.headers ?? {})) lines.push(`    header ${visible(k)}: ${visible(v)}`);
    }
  }
  return lines;
}
