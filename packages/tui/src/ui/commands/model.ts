import { ModelName } from '@hermes/protocol';
import type { SlashCommand } from './types.js';

export const modelCommand: SlashCommand = {
  name: 'model',
  usage: '[provider:model]',
  description: "show or set this session's model",
  async run(ctx) {
    if (!ctx.args) {
      ctx.print('info', `model: ${ctx.snapshot.transcript.model ?? 'the default (config: model)'}\nset it with /model provider:model, e.g. /model openai:gpt-4.1`);
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
