import { describe, expect, it } from 'vitest';
import { toSessionServers } from './mcp-servers.js';

describe("the editor's MCP servers as a session's own", () => {
  it('maps stdio, http and sse entries, env and headers from name/value lists', () => {
    const r = toSessionServers([
      { name: 'files', command: '/usr/bin/node', args: ['fs.js', '/w'], env: [{ name: 'TOKEN', value: 't' }] },
      { type: 'http', name: 'remote', url: 'https://example.com/mcp', headers: [{ name: 'Authorization', value: 'Bearer x' }] },
      { type: 'sse', name: 'old', url: 'http://127.0.0.1:9/sse', headers: [] },
    ]);
    expect(r).toEqual({
      servers: {
        files: { command: '/usr/bin/node', args: ['fs.js', '/w'], env: { TOKEN: 't' } },
        remote: { type: 'http', url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
        old: { type: 'sse', url: 'http://127.0.0.1:9/sse' },
      },
      problems: [],
    });
  });

  it('cleans names into hermes names, unique and at most 64 characters', () => {
    const r = toSessionServers([
      { name: 'GitHub MCP', command: 'a', args: [], env: [] },
      { name: 'GitHub/MCP', command: 'b', args: [], env: [] },
      { name: '../../etc/passwd', command: 'c', args: [], env: [] },
      { name: '', command: 'd', args: [], env: [] },
      { name: 'x'.repeat(200), command: 'e', args: [], env: [] },
    ]);
    expect(Object.keys(r.servers)).toEqual(['GitHub_MCP', 'GitHub_MCP_2', 'etc_passwd', 'server', 'x'.repeat(60)]);
    for (const n of Object.keys(r.servers)) expect(n).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('leaves out what is not a server, and says why', () => {
    const r = toSessionServers([
      { name: 'empty', command: '', args: [], env: [] },
      { type: 'http', name: 'bad-url', url: 'not a url', headers: [] },
    ]);
    expect(r.servers).toEqual({});
    expect(r.problems).toHaveLength(2);
    expect(r.problems[1]).toMatch(/^MCP server "bad-url" left out: url/);
  });
});
