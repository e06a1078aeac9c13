import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '@hermes/protocol';
import { approvalRequestedLines, approvalResolvedLine, noticeLine, toolCompletedLine, toolStartedLine } from './render.js';

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

describe("send's stderr lines carry no control sequence from a model, a tool or a client", () => {
  // What a hostile model or tool would put in an argument, a result or a reason.
  const attacks = [
    '\x1b]52;c;ZWNobyBwd25lZA==\x07', // OSC 52: write the clipboard
    '\x1b]0;owned\x07', // retitle the window
    '\x1b[2J\x1b[H', // clear the screen
    '\x9b31m', // 8-bit CSI
    '\x1bP+q\x1b\\', // DCS
  ];
  const ESC_OR_C1 = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
  it('in tool lines, approval lines, notices and answers', () => {
    for (const a of attacks) {
      const started = {
        type: 'tool.started',
        v: 1,
        seq: 1,
        ts: '',
        sessionId: 's',
        data: { toolCallId: 't', name: 'terminal', args: { command: `echo ${a}` }, summary: `echo ${a}` },
      } as EventOf<'tool.started'>;
      const completed = {
        type: 'tool.completed',
        v: 1,
        seq: 2,
        ts: '',
        sessionId: 's',
        data: { toolCallId: 't', ok: false, result: `failed ${a}`, durationMs: 5 },
      } as EventOf<'tool.completed'>;
      const notice = { type: 'notice', seq: 3, ts: '', sessionId: 's', data: { level: 'warn', message: `mcp ${a}` } } as EventOf<'notice'>;
      const resolved = {
        type: 'approval.resolved',
        seq: 4,
        ts: '',
        sessionId: 's',
        data: { approvalId: 'a', decision: 'deny', by: `tui${a}`, reason: `no ${a}` },
      } as EventOf<'approval.resolved'>;
      const lines = [
        toolStartedLine(c, started),
        toolCompletedLine(c, 'terminal', completed),
        noticeLine(c, notice),
        approvalResolvedLine(c, resolved),
        ...approvalRequestedLines(c, event({ summary: `rm ${a}`, reasons: [`why ${a}`] })),
        ...approvalRequestedLines(c, event({ kind: 'mcp_project', summary: `x${a}\n  s: node ${a}` })),
      ];
      for (const l of lines) expect(l).not.toMatch(ESC_OR_C1);
    }
  });
});
