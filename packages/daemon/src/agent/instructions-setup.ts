import type { ChatMessage } from '../provider/index.js';
import { changedSince, describe, loadInstructions, type InstructionOptions, type LoadedInstruction } from '../instructions/load.js';
import { instructionsBlock } from '../instructions/render.js';
import { systemPrompt } from './system-prompt.js';
import type { RunContext } from './types.js';

export interface RunInstructions {
  /** Null when instructions are off for this run (`instructions.enabled: false`, `--no-instructions`). */
  options: InstructionOptions | null;
  files: LoadedInstruction[];
}

/** Whether this run reads instruction files: the config, then its user message's flag. */
function enabled(ctx: RunContext): boolean {
  if (ctx.config.instructions?.enabled === false) return false;
  const user = ctx.transcript.items.findLast((i) => i.kind === 'user');
  return !(user?.kind === 'user' && user.instructions === false);
}

/**
 * Reads the run's instruction files from disk (at every run, so an edit or a compaction never
 * loses them) and logs `instructions.loaded` when the set or a file changed since the last run.
 */
export async function loadRunInstructions(ctx: RunContext, opts: { announce: boolean }): Promise<RunInstructions> {
  if (!enabled(ctx)) return { options: null, files: [] };
  const options: InstructionOptions = {
    home: ctx.home,
    workspace: ctx.workspace,
    ...(ctx.config.instructions?.files ? { names: ctx.config.instructions.files } : {}),
  };
  const files = await loadInstructions(options).catch(() => []);
  if (opts.announce && changedSince(files, ctx.transcript.instructions)) {
    await ctx.emit({ type: 'instructions.loaded', data: { files: describe(files) } });
  }
  return { options, files };
}

/** The system message: who the agent is, then the instruction files. Byte-identical while they are unchanged. */
export function systemMessage(ctx: RunContext, files: readonly LoadedInstruction[]): ChatMessage {
  const block = instructionsBlock(files, ctx.workspace);
  return { role: 'system', text: block ? `${systemPrompt(ctx.workspace)}\n\n${block}` : systemPrompt(ctx.workspace) };
}
