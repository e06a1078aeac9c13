import { describe, expect, it } from 'vitest';
import { mcpServerLines } from '../format/mcp.js';
import { fromClaude } from './mcp.js';

describe('hermes mcp import', () => {
  it('reads Claude Desktop / Claude Code / .mcp.json entries', () => {
    expect(fromClaude({ command: 'npx', args: ['-y', 'srv'], env: { K: '${K}' } })).toEqual({
      command: 'npx',
      args: ['-y', 'srv'],
      env: { K: '${K}' },
    });
    expect(fromClaude({ type: 'streamable-http', url: 'https://x.example/mcp', headers: { A: 'b' } })).toEqual({
      type: 'http',
      url: 'https://x.example/mcp',
      headers: { A: 'b' },
    });
    expect(fromClaude({ type: 'sse', url: 'https://x.example/sse' })).toEqual({ type: 'sse', url: 'https://x.example/sse' });
    expect(fromClaude({ description: 'no command, no url' })).toBeNull();
    expect(fromClaude({ url: 'not a url' })).toBeNull();
  });
});

describe('mcpServerLines', () => {
  it('names the state, the tools and the error', () => {
    expect(
      mcpServerLines({
        name: 'fs',
        status: 'failed',
        error: 'did not answer initialize within 30 s',
        tools: [],
        schemaTokens: 0,
        workspace: '/w',
      }),
    ).toEqual(['fs  failed  (/w)', '  did not answer initialize within 30 s']);
    expect(
      mcpServerLines({ name: 'e', status: 'ready', tools: [{ name: 'mcp__e__echo', description: 'Echoes\nmore' }], schemaTokens: 42 }),
    ).toEqual(['e  ready · 1 tools · ~42 tokens', '  mcp__e__echo  Echoes']);
  });
});
