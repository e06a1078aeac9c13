import path from 'node:path';
import type { LoadedInstruction } from './load.js';

/** How a file is named to the model: relative to the workspace when inside it, else absolute. */
function shown(file: string, workspace: string): string {
  const rel = path.relative(workspace, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function block(f: LoadedInstruction, workspace: string): string {
  return `<instructions path="${shown(f.path, workspace)}" scope="${f.scope}">\n${f.content.replace(/\s+$/, '')}\n</instructions>`;
}

/** The system prompt's part for the run's instruction files; empty when there are none. */
export function instructionsBlock(files: readonly LoadedInstruction[], workspace: string): string {
  if (files.length === 0) return '';
  return [
    '# Project instructions',
    '',
    'The files below come from the user (global) and from the project, from the most general to the nearest folder.',
    "Nearer files override earlier ones; the user's messages in this conversation override all of them.",
    '',
    ...files.map((f) => block(f, workspace)),
  ].join('\n');
}

/** What a tool result gets when it first touches a folder with its own instruction file. */
export function nestedBlock(files: readonly LoadedInstruction[], workspace: string): string {
  if (files.length === 0) return '';
  const parts = files.map((f) => {
    const dir = shown(path.dirname(f.path), workspace);
    return `Instructions for files under ${dir}/ (they override the project's for those files):\n${block(f, workspace)}`;
  });
  return `\n\n${parts.join('\n\n')}`;
}
