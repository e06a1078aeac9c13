import { emptyTranscript, type McpServerStatus } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { statusLine } from '../ui/views/StatusLine.js';
import { mcpCounts, mcpServerLines, mcpStatusText, projectApprovalResult, sessionServers } from './mcp.js';

const server = (over: Partial<McpServerStatus>): McpServerStatus => ({ name: 's', status: 'ready', tools: [], schemaTokens: 0, ...over });

describe('the MCP servers of one session', () => {
  const all = [
    server({ name: 'http-one' }),
    server({ name: 'here', workspace: '/w' }),
    server({ name: 'elsewhere', workspace: '/other' }),
    server({ name: 'repo', workspace: '/w', scope: 'project', status: 'failed', error: 'exit 1' }),
    server({ name: 'mine', scope: 'session', sessionId: 'S1', status: 'starting' }),
    server({ name: 'theirs', scope: 'session', sessionId: 'S2' }),
  ];

  it('are the user config ones of its workspace (and HTTP ones), its .mcp.json ones and its own', () => {
    expect(sessionServers(all, 'S1', '/w').map((s) => s.name)).toEqual(['http-one', 'here', 'repo', 'mine']);
    expect(mcpCounts(sessionServers(all, 'S1', '/w'))).toEqual({ ready: 2, starting: 1, failed: 1 });
  });

  it('count in the status line: ready ones, and those starting or failed', () => {
    expect(mcpStatusText({ ready: 2, starting: 0, failed: 0 })).toEqual({ text: 'mcp 2', failed: false });
    expect(mcpStatusText({ ready: 1, starting: 1, failed: 1 })).toEqual({ text: 'mcp 1 · 1 starting · 1 failed', failed: true });
    expect(mcpStatusText({ ready: 0, starting: 0, failed: 0 })).toBeNull();
    const line = statusLine({ ...emptyTranscript('S1'), workspace: '/w' }, 'live', 200, undefined, { ready: 2, starting: 0, failed: 1 })
      .map((s) => s.text)
      .join('');
    expect(line).toContain(' · mcp 2 · 1 failed · /w');
    expect(
      statusLine(emptyTranscript('S1'), 'live', 200)
        .map((s) => s.text)
        .join(''),
    ).not.toContain('mcp');
  });

  it('/mcp says where a server comes from', () => {
    expect(mcpServerLines(all[3]!)[0]).toBe('repo  failed · from .mcp.json  (/w)');
    expect(mcpServerLines(all[4]!)[0]).toBe('mine  starting · this session only');
  });

  it('an answered .mcp.json question is one line in the scrollback', () => {
    const summary = '/w/.mcp.json would start 2 MCP servers:\n  a: node a.js\n    env X=1\n  b: http https://x';
    expect(projectApprovalResult('always', summary)).toBe(
      'Trust this .mcp.json (asks again when it changes): /w/.mcp.json would start 2 MCP servers (a, b)',
    );
  });
});
