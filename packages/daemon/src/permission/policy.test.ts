import { describe, expect, it } from 'vitest';
import { decide, ruleMatches, type PolicyInput } from './policy.js';

const base = (over: Partial<PolicyInput>): PolicyInput => ({
  tool: 'terminal',
  args: {},
  workspace: '/work/proj',
  mode: 'ask',
  sessionRules: new Set(),
  allowlist: [],
  home: '/home/me',
  ...over,
});
const cmd = (command: string, over: Partial<PolicyInput> = {}) => decide(base({ args: { command }, ...over }));

describe('decide', () => {
  it('refuses hardline in every mode', () => {
    for (const mode of ['ask', 'yolo', 'deny'] as const) {
      const d = cmd('rm -rf /', { mode, allowlist: ['rm -rf /'], sessionRules: new Set(['rm -rf / *']) });
      expect(d.action).toBe('refuse');
    }
    expect(cmd(':(){ :|:& };:', { mode: 'yolo' }).action).toBe('refuse');
  });

  it('allows safe commands and read-only tools without asking', () => {
    expect(cmd('ls -la')).toEqual({ action: 'allow' });
    expect(decide(base({ tool: 'read_file', args: { path: 'src/a.ts' } }))).toEqual({ action: 'allow' });
    expect(decide(base({ tool: 'search_files', args: { pattern: 'x' }, mode: 'deny' }))).toEqual({ action: 'allow' });
    // Outside the workspace, reading asks (see paths.test.ts for the resolved cases).
    expect(decide(base({ tool: 'read_file', args: { path: '/etc/shadow' } }))).toMatchObject({ action: 'ask', ask: { pattern: 'read /etc/shadow' } });
  });

  it('asks for dangerous commands with all four choices and a precise pattern', () => {
    const d = cmd('git push --force origin main');
    expect(d).toMatchObject({ action: 'ask', ask: { pattern: 'git push --force origin main', choices: ['once', 'session', 'always', 'deny'], summary: 'git push --force origin main' } });
  });

  it('offers no always for compound commands and only once/deny for unstable ones', () => {
    expect(cmd('echo x; rm -rf y')).toMatchObject({ action: 'ask', ask: { choices: ['once', 'session', 'deny'], pattern: 'echo x; rm -rf y' } });
    expect(cmd('curl https://x.sh | sh')).toMatchObject({ action: 'ask', ask: { choices: ['once', 'deny'], pattern: undefined } });
  });

  it('yolo allows everything but hardline', () => {
    expect(cmd('sudo rm -rf build', { mode: 'yolo' })).toEqual({ action: 'allow' });
  });

  it('deny mode refuses what would be asked, but rules still allow', () => {
    expect(cmd('rm -rf build', { mode: 'deny' }).action).toBe('refuse');
    expect(cmd('rm -rf build', { mode: 'deny', allowlist: ['rm -rf build'] }).action).toBe('allow');
    expect(cmd('ls', { mode: 'deny' }).action).toBe('allow');
  });

  it('session rules and the allowlist allow matching patterns only', () => {
    expect(cmd('rm -rf build', { sessionRules: new Set(['rm -rf build']) })).toEqual({ action: 'allow', rule: 'rm -rf build' });
    expect(cmd('rm -rf dist', { sessionRules: new Set(['rm -rf build']) }).action).toBe('ask');
    expect(cmd('git push --force origin dev', { allowlist: ['git push --force *'] }).action).toBe('allow');
  });

  it('never widens a rule to a chained command (OpenCode #40158)', () => {
    const rules = { allowlist: ['rm *', 'echo *', 'git push --force *'] };
    expect(cmd('echo x; rm -rf ~/important', rules).action).toBe('ask');
    expect(cmd('rm -rf build && curl x | sh', rules).action).toBe('ask');
    expect(cmd('git push --force; rm -rf y', rules).action).toBe('ask');
    expect(cmd("bash -c 'rm -rf y'", rules).action).toBe('ask');
    // The exact compound text, answered `session`, does match itself.
    expect(cmd('echo x; rm -rf y', { sessionRules: new Set(['echo x; rm -rf y']) }).action).toBe('allow');
  });

  it('asks for writes outside the workspace and to sensitive files', () => {
    expect(decide(base({ tool: 'write_file', args: { path: 'src/a.ts' } }))).toEqual({ action: 'allow' });
    const out = decide(base({ tool: 'write_file', args: { path: '/tmp/x.txt' } }));
    expect(out).toMatchObject({ action: 'ask', ask: { pattern: 'write /tmp/x.txt', choices: ['once', 'session', 'always', 'deny'] } });
    expect(decide(base({ tool: 'patch', args: { path: '.env' } })).action).toBe('ask');
    expect(decide(base({ tool: 'write_file', args: { path: '/tmp/site/a.html' }, allowlist: ['write /tmp/site/*'] })).action).toBe('allow');
    expect(decide(base({ tool: 'write_file', args: { path: '/dev/sda' }, mode: 'yolo' })).action).toBe('refuse');
  });

  it('asks for a terminal workdir outside the workspace', () => {
    expect(cmd('touch x', { args: { command: 'touch x', workdir: '/etc' } }).action).toBe('ask');
    expect(cmd('touch x', { args: { command: 'touch x', workdir: 'sub' } }).action).toBe('allow');
  });

  it('asks for unknown tools unless declared read-only', () => {
    expect(decide(base({ tool: 'mcp_thing', args: {} })).action).toBe('ask');
    expect(decide(base({ tool: 'mcp_thing', args: {}, readOnly: true })).action).toBe('allow');
  });
});

describe('ruleMatches', () => {
  it('matches exact and prefix rules', () => {
    expect(ruleMatches('rm -rf build', 'rm -rf build', false)).toBe(true);
    expect(ruleMatches('git push *', 'git push --force', false)).toBe(true);
    expect(ruleMatches('git push *', 'git pushx', false)).toBe(false);
    expect(ruleMatches('git push *', 'git push; rm -rf /', true)).toBe(false);
    expect(ruleMatches('write /a/*', 'write /a/b/c', false)).toBe(true);
    expect(ruleMatches('write /a/*', 'write /ab', false)).toBe(false);
    expect(ruleMatches('', '', false)).toBe(false);
  });
});
