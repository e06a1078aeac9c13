import type { Completion } from '../views/Completions.js';
import { cancelCommand } from './cancel.js';
import { compactCommand } from './compact.js';
import { undoCommand } from './undo.js';
import { redoCommand } from './redo.js';
import { rewindCommand } from './rewind.js';
import { retryCommand } from './retry.js';
import { forkCommand } from './fork.js';
import { copyCommand } from './copy.js';
import { helpCommand } from './help.js';
import { mcpCommand } from './mcp.js';
import { initCommand } from './init.js';
import { instructionsCommand } from './instructions.js';
import { modelCommand } from './model.js';
import { newCommand } from './new.js';
import { quitCommand } from './quit.js';
import { reasoningCommand } from './reasoning.js';
import { sessionsCommand } from './sessions.js';
import { queueCommand, steerCommand } from './steer.js';
import { titleCommand } from './title.js';
import type { SlashCommand } from './types.js';
import { usageCommand } from './usage.js';

export const COMMANDS: SlashCommand[] = [];
COMMANDS.push(
  helpCommand(() => COMMANDS),
  newCommand,
  sessionsCommand,
  modelCommand,
  titleCommand,
  cancelCommand,
  steerCommand,
  queueCommand,
  usageCommand,
  mcpCommand,
  compactCommand,
  undoCommand,
  redoCommand,
  rewindCommand,
  retryCommand,
  forkCommand,
  instructionsCommand,
  initCommand,
  reasoningCommand,
  copyCommand,
  quitCommand,
);

/** `/name args` → the command (by name, alias or unique prefix) and its arguments. */
export function parseSlash(text: string): { command: SlashCommand; args: string } | { error: string } | null {
  const m = /^\/(\S*)\s*([\s\S]*)$/.exec(text.trim());
  if (!m) return null;
  const name = m[1]!.toLowerCase();
  const args = m[2]!.trim();
  const exact = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
  if (exact) return { command: exact, args };
  const hits = COMMANDS.filter((c) => c.name.startsWith(name));
  if (name && hits.length === 1) return { command: hits[0]!, args };
  return {
    error:
      hits.length > 1
        ? `/${name} could be ${hits.map((h) => '/' + h.name).join(', ')}`
        : `unknown command /${name} (see /help; start with // to send a message that begins with /)`,
  };
}

/** Completions for a draft that is a command name being typed. */
export function completeSlash(text: string): Completion[] {
  const m = /^\/(\S*)$/.exec(text);
  if (!m) return [];
  const prefix = m[1]!.toLowerCase();
  return COMMANDS.filter((c) => c.name.startsWith(prefix)).map((c) => ({
    value: `/${c.name}${c.usage ? ' ' : ''}`,
    label: `/${c.name}${c.usage ? ' ' + c.usage : ''}`,
    description: c.description,
  }));
}

export type { CommandContext, SlashCommand } from './types.js';
