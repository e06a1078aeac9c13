import { mcpServerLines, sessionServers } from '../../format/mcp.js';
import type { SlashCommand } from './types.js';

export const mcpCommand: SlashCommand = {
  name: 'mcp',
  description: 'MCP servers and their tools',
  async run(ctx) {
    try {
      const { servers: all } = await ctx.store.client.mcpStatus();
      const t = ctx.snapshot.transcript;
      const servers = sessionServers(all, ctx.store.sessionId, t.workspace);
      if (!servers.length) {
        ctx.print(
          'info',
          'no MCP servers running for this session (add one: hermes mcp add NAME -- COMMAND ARGS…; they start with the next message)',
        );
        return;
      }
      ctx.print('plain', servers.flatMap(mcpServerLines).join('\n'));
    } catch (err) {
      ctx.print('error', `could not ask the daemon: ${(err as Error).message}`);
    }
  },
};
