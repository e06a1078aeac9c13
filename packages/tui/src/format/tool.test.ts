import { describe, expect, it } from 'vitest';
import { toolLabel, toolSummary } from './tool.js';

const toolArgsSummary = (args: Record<string, unknown>) => toolSummary({ args });

describe('tool wording', () => {
  it('names MCP tools by server and tool', () => {
    expect(toolLabel('mcp__docs__search')).toBe('docs › search');
    expect(toolLabel('mcp__a__b__c')).toBe('a › b__c');
    expect(toolLabel('terminal')).toBe('terminal');
    expect(toolLabel('mcp__weird')).toBe('mcp__weird');
  });
  it('summarises the arguments the same way for every screen', () => {
    expect(toolArgsSummary({ command: 'ls   -la\n' })).toBe('ls -la');
    expect(toolArgsSummary({ command: 'set -e\nmake' })).toBe('set -e …');
    expect(toolArgsSummary({ pattern: 'TODO', path: 'src' })).toBe('TODO in src');
    expect(toolArgsSummary({ message: 'hi' })).toBe('{"message":"hi"}');
    expect(toolArgsSummary({})).toBe('');
  });
  it("the daemon's summary wins over the arguments (whitespace folded); an empty one stays empty", () => {
    expect(toolSummary({ args: { command: 'ls' }, summary: 'ls  -la\n  /tmp' })).toBe('ls -la /tmp');
    expect(toolSummary({ args: { path: 'a.ts' }, summary: '' })).toBe('');
  });
  it('a clarify call reads as its first question, not as JSON', () => {
    expect(toolArgsSummary({ questions: [{ question: 'Which\n  database?', options: [{ label: 'a' }] }] })).toBe('Which database?');
    expect(toolArgsSummary({ questions: [{ question: 'A?' }, { question: 'B?' }, { question: 'C?' }] })).toBe('A? (+2 more)');
    expect(toolArgsSummary({ questions: 'nonsense' })).toBe('a question');
  });
});
