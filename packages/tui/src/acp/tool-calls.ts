import os from 'node:os';
import path from 'node:path';
import type { ToolCallContent, ToolCallLocation, ToolKind } from '@agentclientprotocol/sdk';
import { PROJECT_APPROVAL_TITLE, PROJECT_FILE_TOOL } from '../format/mcp.js';

/**
 * How a hermes tool call looks in an editor: its kind (the icon), a title, the files it
 * touches (ACP paths are absolute), and an edit's diff. Pure.
 */

const KINDS: Record<string, ToolKind> = {
  terminal: 'execute',
  read_file: 'read',
  write_file: 'edit',
  patch: 'edit',
  search_files: 'search',
  web_fetch: 'fetch',
};

export function toolKind(name: string): ToolKind {
  return KINDS[name] ?? 'other';
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** A tool's path argument made absolute against the session's workspace (`~/` is the user's home). */
export function absolutePath(workspace: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(workspace, p);
}

/** One line, at most `max` characters: a title must not be a wall of text. */
function oneLine(text: string, max = 200): string {
  const first = text.replace(/\s*\n[\s\S]*$/, ' …').trim();
  return first.length > max ? `${first.slice(0, max - 1)}…` : first;
}

export function toolTitle(name: string, args: Record<string, unknown>): string {
  const p = str(args.path);
  switch (name) {
    case 'terminal':
      return oneLine(str(args.command) ?? 'terminal');
    case 'read_file':
      return p ? `Read ${p}` : 'Read a file';
    case 'write_file':
      return p ? `Write ${p}` : 'Write a file';
    case 'patch':
      return p ? `Edit ${p}` : 'Edit a file';
    case 'search_files': {
      const pattern = str(args.pattern);
      const where = p ? ` in ${p}` : '';
      return pattern ? oneLine(`Search ${JSON.stringify(pattern)}${where}`) : 'Search files';
    }
    case PROJECT_FILE_TOOL:
      return PROJECT_APPROVAL_TITLE;
    default:
      return name;
  }
}

export function toolLocations(name: string, args: Record<string, unknown>, workspace: string): ToolCallLocation[] {
  const p = name === 'terminal' ? str(args.workdir) : str(args.path);
  if (!p) return [];
  const line =
    name === 'read_file' && typeof args.offset === 'number' && Number.isInteger(args.offset) && args.offset > 0 ? args.offset : undefined;
  return [{ path: absolutePath(workspace, p), ...(line !== undefined ? { line } : {}) }];
}

/**
 * A unified diff (what hermes shows for edits) as ACP diffs: one per hunk, its old and new
 * text being the hunk's lines, so an editor can render it. A hunk is read by the line counts
 * of its `@@ -a,b +c,d @@` header, so a removed line that reads `-- x` is not taken for a
 * header; `\ No newline` markers and text outside hunks are skipped.
 */
export function diffsOfUnified(unified: string, absPath: string): ToolCallContent[] {
  const out: ToolCallContent[] = [];
  const lines = unified.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(lines[i]!);
    if (!h) continue;
    let oldLeft = h[1] === undefined ? 1 : Number(h[1]);
    let newLeft = h[2] === undefined ? 1 : Number(h[2]);
    const oldLines: string[] = [];
    const newLines: string[] = [];
    while ((oldLeft > 0 || newLeft > 0) && i + 1 < lines.length) {
      const line = lines[++i]!;
      const body = line.slice(1);
      if (line.startsWith('\\')) continue;
      if (line.startsWith(' ') || line === '') {
        oldLines.push(body);
        newLines.push(body);
        oldLeft--;
        newLeft--;
      } else if (line.startsWith('-')) {
        oldLines.push(body);
        oldLeft--;
      } else if (line.startsWith('+')) {
        newLines.push(body);
        newLeft--;
      } else {
        i--;
        break;
      }
    }
    if (oldLines.length > 0 || newLines.length > 0)
      out.push({ type: 'diff', path: absPath, oldText: oldLines.join('\n'), newText: newLines.join('\n') });
  }
  return out;
}

/**
 * The diff of an edit: from hermes' unified diff when there is one, else from the call's own
 * arguments (a patch's old/new strings, a write's whole content).
 */
export function editDiffs(name: string, args: Record<string, unknown>, workspace: string, unified?: string): ToolCallContent[] {
  const p = str(args.path);
  if (!p || (name !== 'write_file' && name !== 'patch')) return [];
  const abs = absolutePath(workspace, p);
  if (unified) {
    const diffs = diffsOfUnified(unified, abs);
    if (diffs.length > 0) return diffs;
  }
  if (name === 'patch' && typeof args.old_string === 'string' && typeof args.new_string === 'string') {
    return [{ type: 'diff', path: abs, oldText: args.old_string, newText: args.new_string }];
  }
  if (name === 'write_file' && typeof args.content === 'string') return [{ type: 'diff', path: abs, oldText: null, newText: args.content }];
  return [];
}

/** Text shown inside a tool call; a terminal's output is fenced so markdown does not eat it. */
export function textContent(text: string, fenced: boolean): ToolCallContent {
  let body = text;
  if (fenced) {
    let longest = 0;
    for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
    const fence = '`'.repeat(Math.max(3, longest + 1));
    body = `${fence}\n${text.replace(/\n$/, '')}\n${fence}`;
  }
  return { type: 'content', content: { type: 'text', text: body } };
}
