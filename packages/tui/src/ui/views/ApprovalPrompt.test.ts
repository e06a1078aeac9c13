import type { PendingApproval } from '@hermes/protocol';
import { describe, expect, it } from 'vitest';
import { approvalLines } from './ApprovalPrompt.js';

const pending = (over: Partial<PendingApproval> = {}): PendingApproval => ({
  approvalId: 'apr_1',
  toolCallId: 'call_1',
  tool: 'terminal',
  summary: 'npm install',
  reasons: ['not on the read-only list: npm', 'unsandboxed: no sandbox confines this command'],
  choices: ['once', 'session', 'always', 'deny'],
  pattern: 'npm install',
  seq: 3,
  ...over,
});
const text = (p: PendingApproval): string[] =>
  approvalLines(p, null, 80, 30, { index: 0, count: 1 }).map((l) => l.map((s) => s.text).join(''));

describe('approvalLines', () => {
  it('shows the command, every reason and the choices with the rule', () => {
    const lines = text(pending());
    expect(lines[0]).toBe('╭ Approval needed · terminal');
    expect(lines).toContain('│ $ npm install');
    expect(lines).toContain('│ why: not on the read-only list: npm');
    expect(lines).toContain('│ why: unsandboxed: no sandbox confines this command');
    expect(lines.join('\n')).toMatch(/Always allow.*: npm install/);
  });

  it('says "outside the sandbox" in the header when the command leaves it, and offers only once/deny', () => {
    const lines = text(
      pending({ outsideSandbox: true, choices: ['once', 'deny'], reasons: ['runs outside the sandbox: it can write anywhere'] }),
    );
    expect(lines[0]).toBe('╭ Approval needed · terminal · outside the sandbox');
    expect(lines.join('\n')).not.toMatch(/Always|session/i);
  });

  it('an MCP tool offers its whole server as a choice of its own, with its key', () => {
    const lines = text(
      pending({ tool: 'mcp__fs__read', summary: 'fs › read {"path":"a"}', pattern: 'mcp__fs__read', patterns: ['mcp__fs__*'] }),
    );
    expect(lines).toContain('│   3. Always allow (a): mcp__fs__read');
    expect(lines).toContain('│   4. Always allow every tool of fs (e): mcp__fs__*');
    expect(lines).toContain('│   5. Deny (d)');
    expect(lines.at(-1)).toBe('╰ o/s/a/e/d or 1–5 to answer · ↑↓ then Enter · Esc denies');
  });
});
