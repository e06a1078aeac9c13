import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '@hermes/protocol';
import { approvalRequestedLines } from './render.js';

const c = new Chalk({ level: 0 });
const event = (data: Partial<EventOf<'approval.requested'>['data']>): EventOf<'approval.requested'> =>
  ({
    type: 'approval.requested',
    seq: 1,
    ts: '2026-01-01T00:00:00.000Z',
    sessionId: 's',
    data: {
      approvalId: 'a',
      toolCallId: 't',
      tool: 'terminal',
      summary: 'curl https://example.com',
      reasons: ['r1'],
      choices: ['once', 'deny'],
      ...data,
    },
  }) as EventOf<'approval.requested'>;

describe('approvalRequestedLines (hermes send)', () => {
  it('names the tool, the command and each reason', () => {
    expect(approvalRequestedLines(c, event({}))).toEqual(['? approval needed: terminal: curl https://example.com', '  · r1']);
  });

  it('says when the command would run outside the sandbox', () => {
    expect(approvalRequestedLines(c, event({ outsideSandbox: true }))[0]).toBe(
      '? approval needed (outside the sandbox): terminal: curl https://example.com',
    );
  });

  it('a workspace .mcp.json question prints every server line and what each answer does', () => {
    const summary = '/w/.mcp.json would start 2 MCP servers:\n  a: node a.js\n  b: http https://x';
    expect(
      approvalRequestedLines(
        c,
        event({ kind: 'mcp_project', tool: '.mcp.json', summary, reasons: ['why'], choices: ['once', 'session', 'always', 'deny'] }),
      ),
    ).toEqual([
      "? Start this workspace's MCP servers? /w/.mcp.json would start 2 MCP servers:",
      '    a: node a.js',
      '    b: http https://x',
      '  · why',
      '  [o]nce: Start them for this run',
      '  [s]ession: Start them in this session',
      '  [a]lways: Trust this .mcp.json (asks again when it changes)',
      "  [d]eny: Don't start them",
    ]);
  });
});
