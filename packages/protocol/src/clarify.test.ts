import { describe, expect, it } from 'vitest';
import { ClarifyArgs, ClarifyRequest, clarifyAnswersProblem } from './index.js';

describe('clarify shapes', () => {
  it('takes the AskUserQuestion shape: 1-4 questions, 2-4 options or none', () => {
    expect(ClarifyArgs.safeParse({ questions: [{ question: 'Name?' }] }).success).toBe(true);
    expect(
      ClarifyArgs.safeParse({
        questions: [
          { question: 'DB?', header: 'Database', options: [{ label: 'a', description: 'x' }, { label: 'b' }], multiSelect: true },
        ],
      }).success,
    ).toBe(true);
    const bad = [
      {},
      { questions: [] },
      { questions: Array.from({ length: 5 }, () => ({ question: 'q?' })) },
      { questions: [{ question: '   ' }] },
      { questions: [{ question: 'q?', options: [{ label: 'one' }] }] },
      { questions: [{ question: 'q?', options: Array.from({ length: 5 }, (_, i) => ({ label: `o${i}` })) }] },
      { questions: [{ question: 'q?', options: [{ label: 'same' }, { label: 'same' }] }] },
      { questions: [{ question: 'q?', header: 'a header far too long for a chip' }] },
      { questions: [{ question: 'q?', options: [{ label: '' }, { label: 'b' }] }] },
      { questions: [{ question: 'q?', extra: 1 }] },
      { questions: 'Which?' },
    ];
    for (const b of bad) expect(ClarifyArgs.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });

  it('checks answers against their questions: one per question, one entry unless multiSelect', () => {
    const qs = [
      { question: 'a?', options: [{ label: 'x' }, { label: 'y' }] },
      { question: 'b?', options: [{ label: 'x' }, { label: 'y' }], multiSelect: true },
      { question: 'c?' },
    ];
    expect(clarifyAnswersProblem(qs, [['x'], ['x', 'y', 'typed'], ['free']])).toBeNull();
    expect(clarifyAnswersProblem(qs, [['x'], ['y']])).toMatch(/expected 3 answers/);
    expect(clarifyAnswersProblem(qs, [['x', 'y'], ['y'], ['z']])).toMatch(/question 1 takes one answer/);
    expect(clarifyAnswersProblem(qs, [['x'], ['y', 'y'], ['z']])).toMatch(/the same answer twice/);
    expect(clarifyAnswersProblem(qs, [['x'], ['y'], ['z', 'w']])).toMatch(/question 3 takes one answer/);
    expect(ClarifyRequest.safeParse({ answers: null }).success).toBe(true);
    expect(ClarifyRequest.safeParse({ answers: [[]] }).success).toBe(false);
    expect(ClarifyRequest.safeParse({ answers: [['x'.repeat(4001)]] }).success).toBe(false);
    expect(ClarifyRequest.safeParse({ answers: [['ok']], by: 'tui', extra: 1 }).success).toBe(false);
  });
});
