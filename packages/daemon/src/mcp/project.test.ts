import { describe, expect, it } from 'vitest';
import { describeServers, parseProjectFile, variablesOf, visible } from './project.js';
import { projectAsk } from './sources.js';

describe('parseProjectFile', () => {
  it("takes Claude's fields and drops hermes' own knobs a repository must not set", () => {
    const r = parseProjectFile(
      JSON.stringify({ mcpServers: { a: { command: 'node', args: ['s.js'], trust: 'all', includeTools: ['x'], enabled: true } } }),
    );
    expect(r).toEqual({ servers: { a: { command: 'node', args: ['s.js'] } }, problems: ['a: ignored "trust", "includeTools", "enabled"'] });
  });

  it('refuses what is not a project file, and leaves out entries that are not servers', () => {
    expect(parseProjectFile('{"mcpServers": ')).toMatchObject({ error: expect.stringMatching(/^not JSON/) });
    expect(parseProjectFile('[]')).toEqual({ error: 'no "mcpServers" object' });
    expect(parseProjectFile('{"mcpServers": []}')).toEqual({ error: 'no "mcpServers" object' });
    const r = parseProjectFile(
      JSON.stringify({
        mcpServers: {
          '../../etc': { command: 'x' },
          'a b': { command: 'x' },
          n: null,
          arr: [],
          none: {},
          bad: { command: 5 },
          ok: { url: 'http://127.0.0.1:1/mcp' },
        },
      }),
    );
    if ('error' in r) throw new Error(r.error);
    expect(Object.keys(r.servers)).toEqual(['ok']);
    expect(r.problems).toHaveLength(6);
    expect(r.problems[0]).toMatch(/^"\.\.\/\.\.\/etc" left out/);
  });

  it('takes at most 20 servers', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`s${i}`, { command: 'x' }]));
    const r = parseProjectFile(JSON.stringify({ mcpServers: many }));
    if ('error' in r) throw new Error(r.error);
    expect(Object.keys(r.servers)).toHaveLength(20);
    expect(r.problems).toEqual(['more than 20 servers: the rest are left out']);
  });
});

describe('what the approval card shows', () => {
  it('every server with its full command line, folder, environment, URL and headers, variables unexpanded', () => {
    const servers = {
      local: {
        command: 'node',
        args: ['./server.js', '--root', 'a b', "it's"],
        cwd: 'tools',
        env: { NODE_OPTIONS: '--require ./x.js', TOKEN: '${GITHUB_TOKEN}' },
      },
      remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer ${OPENAI_API_KEY:-none}' } },
    };
    expect(describeServers(servers)).toEqual([
      `  local: node ./server.js --root 'a b' 'it'\\''s'`,
      '    in tools',
      `    env NODE_OPTIONS='--require ./x.js'`,
      `    env TOKEN='\${GITHUB_TOKEN}'`,
      '  remote: http https://example.com/mcp',
      '    header Authorization: Bearer ${OPENAI_API_KEY:-none}',
    ]);
    expect(variablesOf(servers)).toEqual(['GITHUB_TOKEN', 'OPENAI_API_KEY']);
    const ask = projectAsk({ path: '/w/.mcp.json', sha256: 'ab'.repeat(32), servers, problems: [] });
    expect(ask.summary.split('\n')[0]).toBe('/w/.mcp.json would start 2 MCP servers:');
    expect(ask.reasons).toContain('reads your environment variables GITHUB_TOKEN, OPENAI_API_KEY');
    expect(ask.kind).toBe('mcp_project');
  });

  it('cannot hide part of a command behind terminal escapes or bidi marks', () => {
    const lines = describeServers({ x: { command: 'node', args: ['ok.js\u001b[2K\r', 'safe\u202e.js'], env: { A: '\u0007' } } });
    const text = lines.join('\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('\\u001b[2K\\u000d');
    expect(text).toContain('safe\\u202e.js');
    expect(visible('plain')).toBe('plain');
  });
});
