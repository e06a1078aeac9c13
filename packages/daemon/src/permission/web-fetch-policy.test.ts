import { describe, expect, it } from 'vitest';
import { decide, type PolicyInput } from './policy.js';

const input = (over: Partial<PolicyInput>): PolicyInput => ({
  tool: 'web_fetch',
  args: { url: 'https://docs.example.com/guide?x=1' },
  workspace: '/w',
  mode: 'ask',
  sessionRules: new Set(),
  allowlist: [],
  readOnly: true,
  ...over,
});

describe('policy: web_fetch (tools.webFetch)', () => {
  it('allow (the default): no question, in every approval mode', () => {
    for (const mode of ['ask', 'auto', 'yolo', 'deny'] as const) expect(decide(input({ mode })).action, mode).toBe('allow');
    expect(decide(input({ webFetch: 'allow' })).action).toBe('allow');
  });

  it('ask: asks per call with a per-host rule; a granted host is allowed; yolo allows; deny refuses', () => {
    const d = decide(input({ webFetch: 'ask' }));
    expect(d).toMatchObject({
      action: 'ask',
      ask: {
        summary: 'fetch https://docs.example.com/guide?x=1',
        pattern: 'fetch docs.example.com',
        choices: ['once', 'session', 'always', 'deny'],
      },
    });
    expect(decide(input({ webFetch: 'ask', sessionRules: new Set(['fetch docs.example.com']) })).action).toBe('allow');
    expect(
      decide(input({ webFetch: 'ask', allowlist: ['fetch docs.example.com'], args: { url: 'https://evil.example.com/' } })).action,
    ).toBe('ask');
    // A rule for one host never covers a lookalike.
    expect(
      decide(input({ webFetch: 'ask', allowlist: ['fetch example.com'], args: { url: 'https://example.com.evil.test/' } })).action,
    ).toBe('ask');
    expect(decide(input({ webFetch: 'ask', mode: 'yolo' })).action).toBe('allow');
    expect(decide(input({ webFetch: 'ask', mode: 'deny' })).action).toBe('refuse');
  });
});
