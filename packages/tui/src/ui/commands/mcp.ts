import { mcpServerLines } from '../../format/mcp.js';
import type { SlashCommand } from './types.js';

export const mcpCommand: SlashCommand = {
  name: 'mcp',
  description: 'MCP servers and their tools',
  async run(ctx) {
    try {
      const { servers } = await ctx.store.client.mcpStatus();
      if (!servers.length) {
        ctx.print('info', 'no MCP servers running (add one: hermes mcp add NAME -- COMMAND ARGS…; they start with the next message)');
        return;
      }
      ctx.print('plain', servers.flatMap(mcpServerLines).join('\n'));
    } catch (err) {
      ctx.print('error', `could not ask the daemon: ${(err as Error).message}`);
    }
  },
};
