import { describe, expect, it } from 'vitest';
import { toolArgsSummary, toolLabel } from './tool.js';

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
  it('a clarify call reads as its first question, not as JSON', () => {
    expect(toolArgsSummary({ questions: [{ question: 'Which\n  database?', options: [{ label: 'a' }] }] })).toBe('Which database?');
    expect(toolArgsSummary({ questions: [{ question: 'A?' }, { question: 'B?' }, { question: 'C?' }] })).toBe('A? (+2 more)');
    expect(toolArgsSummary({ questions: 'nonsense' })).toBe('a question');
  });
});
