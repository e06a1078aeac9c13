import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assessCommand, assessFileWrite, maxLevel, normalizeCommand } from './index.js';
import { BYPASS_CORPUS, SAFE_COMMANDS } from './bypass-corpus.test-helpers.js';

const rank = { safe: 0, dangerous: 1, hardline: 2 } as const;

describe('bypass corpus', () => {
  it('has at least 80 entries', () => {
    expect(BYPASS_CORPUS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(BYPASS_CORPUS.map((e) => [e.command, e.min] as const))('flags %j at least %s', (command, min) => {
    const a = assessCommand(command, { home: '/home/me' });
    expect(rank[a.level], `${JSON.stringify(command)} → ${a.level} ${a.reasons.join('; ')}`).toBeGreaterThanOrEqual(rank[min]);
    expect(a.reasons.length).toBeGreaterThan(0);
  });

  it.each(SAFE_COMMANDS)('does not flag %j', (command) => {
    const a = assessCommand(command, { home: '/home/me' });
    expect(a.level, a.reasons.join('; ')).toBe('safe');
  });
});

describe('assessCommand', () => {
  it('recognises the literal home path', () => {
    expect(assessCommand('rm -rf /home/me', { home: '/home/me' }).level).toBe('hardline');
    expect(assessCommand('echo x >> /home/me/.ssh/authorized_keys', { home: '/home/me' }).level).toBe('dangerous');
  });

  it('offers a precise pattern for a single command', () => {
    expect(assessCommand('rm -rf build').pattern).toBe('rm -rf build');
    expect(assessCommand('git push --force origin main')).toMatchObject({ pattern: 'git push --force origin main', compound: false });
    expect(assessCommand("'rm'  -rf   build").pattern).toBe('rm -rf build');
    expect(assessCommand('rm -rf "my dir"').pattern).toBe("rm -rf 'my dir'");
  });

  it('covers only the exact text for compound commands (never a prefix)', () => {
    const a = assessCommand('echo x; rm -rf y');
    expect(a.compound).toBe(true);
    expect(a.pattern).toBe('echo x; rm -rf y');
    expect(assessCommand('bash -c "rm -rf x"').compound).toBe(true);
  });

  it('offers no pattern for hardline or unstable commands', () => {
    expect(assessCommand('rm -rf /').pattern).toBeUndefined();
    expect(assessCommand('curl x | sh').pattern).toBeUndefined();
    expect(assessCommand('$(echo rm) -rf x').pattern).toBeUndefined();
  });

  it('lists the worst reason first', () => {
    const a = assessCommand('sudo rm -rf /');
    expect(a.level).toBe('hardline');
    expect(a.reasons[0]).toMatch(/root/);
  });

  it('never throws and always returns a level on random input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const a = assessCommand(s);
        expect(['safe', 'dangerous', 'hardline']).toContain(a.level);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            'rm',
            '-rf',
            '"',
            "'",
            '$(',
            ')',
            '`',
            '|',
            ';',
            '&&',
            'x',
            '\\',
            '{',
            '}',
            '<(',
            '$IFS',
            'bash',
            '-c',
            '\n',
            '<<E',
          ),
          { maxLength: 20 },
        ),
        (parts) => {
          assessCommand(parts.join(' '));
          assessCommand(parts.join(''));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('fails closed on absurdly nested or long input', () => {
    expect(assessCommand('$('.repeat(100) + 'ls' + ')'.repeat(100)).level).toBe('dangerous');
    expect(assessCommand('echo ' + 'a'.repeat(200_000)).level).toBe('dangerous');
  });

  it('reads IFS and continuations as bash does, and normalisation folds nothing', () => {
    expect(assessCommand('rm${IFS}-rf\\\n x').pattern).toBe('rm -rf x');
    expect(normalizeCommand(' \tｒｍ\x1b[0m x\\ \n')).toBe('ｒｍ\x1b[0m x\\ ');
    expect(maxLevel('safe', 'hardline')).toBe('hardline');
  });
});

describe('assessFileWrite', () => {
  const ws = '/work/proj';
  it('allows writes inside the workspace', () => {
    expect(assessFileWrite('src/a.ts', ws, '/home/me')).toMatchObject({ level: 'safe', absolute: '/work/proj/src/a.ts' });
  });
  it('asks outside the workspace, including via ..', () => {
    expect(assessFileWrite('../other/a.ts', ws).level).toBe('dangerous');
    expect(assessFileWrite('/tmp/x', ws)).toMatchObject({ level: 'dangerous', pattern: 'write /tmp/x' });
  });
  it('flags sensitive files even inside the workspace', () => {
    expect(assessFileWrite('.env', ws).level).toBe('dangerous');
    expect(assessFileWrite('config/.env.local', ws).level).toBe('dangerous');
    expect(assessFileWrite('.env.example', ws).level).toBe('safe');
    expect(assessFileWrite('~/.ssh/authorized_keys', ws, '/home/me').reasons.join()).toMatch(/SSH/);
    expect(assessFileWrite('/home/me/.zshrc', ws, '/home/me').reasons.join()).toMatch(/startup/);
    expect(assessFileWrite('/etc/hosts', ws).reasons.join()).toMatch(/system/);
    expect(assessFileWrite('/dev/sda', ws).level).toBe('hardline');
  });
});
