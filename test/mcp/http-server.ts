import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** A Streamable HTTP MCP server on 127.0.0.1 that wants `x-test-token: <token>` on every request. */
export async function startHttpMcp(token: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    if (req.headers['x-test-token'] !== token) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const mcp = new McpServer({ name: 'http-test', version: '1.0.0' });
    mcp.registerTool('ping', { description: 'answers pong', inputSchema: { say: z.string().optional() } }, async ({ say }) => ({
      content: [{ type: 'text', text: `pong ${say ?? ''}`.trim() }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => void transport.handleRequest(req, res, body ? JSON.parse(body) : undefined));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        // The client keeps a GET stream open for server notifications.
        server.closeAllConnections();
      }),
  };
}
