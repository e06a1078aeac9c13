import { ModelName, type ModelListing } from '@hermes/protocol';
import type { Completion } from '../views/Completions.js';
import type { SlashCommand } from './types.js';

const SOURCE_LABEL: Record<ModelListing['models'][number]['source'], string> = {
  config: 'configured',
  session: 'used in a session',
  provider: 'listed by the provider',
};

/** The argument of `/model ` being typed, or null when the draft is something else. */
export function modelArgument(draft: string): string | null {
  const m = /^\/model (\S*)$/.exec(draft);
  return m ? m[1]! : null;
}

/** The models matching what was typed (any part of the name, case-insensitive), in the daemon's order. */
export function completeModel(partial: string, listing: ModelListing): Completion[] {
  const needle = partial.toLowerCase();
  return listing.models
    .filter((m) => m.id.toLowerCase().includes(needle))
    .map((m) => ({ value: m.id, label: m.id, description: SOURCE_LABEL[m.source] }));
}

export const modelCommand: SlashCommand = {
  name: 'model',
  usage: '[provider:model]',
  description: "show or set this session's model (a list to pick from)",
  async run(ctx) {
    if (!ctx.args) {
      ctx.print(
        'info',
        `model: ${ctx.snapshot.transcript.model ?? 'the default (config: model)'}; pick another below (type to filter, Enter sets it, Esc closes)`,
      );
      ctx.setDraft('/model ');
      return;
    }
    const parsed = ModelName.safeParse(ctx.args);
    if (!parsed.success) {
      ctx.print('error', `"${ctx.args}" is not a model name: a model is named provider:model, e.g. openai:gpt-4.1`);
      return;
    }
    await ctx.store.client.patchSession(ctx.store.sessionId, { model: parsed.data });
    ctx.print('info', `model set to ${parsed.data} (from the next run on)`);
  },
};
