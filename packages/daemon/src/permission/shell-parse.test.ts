/**
 * The parser must read a command the way bash does: generated commands are run by a real
 * bash, which prints each simple command's words, and the parser's words must match exactly.
 * Characters that an earlier normalisation folded or stripped (fullwidth quotes and
 * semicolons, ANSI sequences, CR, zero-width and bidi characters, backslash-newline inside
 * single quotes) are part of the alphabet on purpose.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bashWords, script } from './shell-gen.test-helpers.js';
import { parseShell, type CommandList } from './shell-parse.js';

function parserWords(list: CommandList): string[][] {
  return list.pipelines.flatMap((p) => p.commands.map((c) => c.words.map((w) => w.text)));
}

describe('the parser reads commands as bash does', () => {
  it('splits words and commands exactly like bash (property, real bash)', () => {
    fc.assert(
      fc.property(script, (src) => {
        expect(parserWords(parseShell(src)), JSON.stringify(src)).toEqual(bashWords(src));
      }),
      { numRuns: 150 },
    );
  });

  it('splits unquoted $IFS like bash with the default IFS, and keeps it in quotes', () => {
    expect(bashWords('P rm$IFS-rf${IFS}x')).toEqual([['P', 'rm', '-rf', 'x']]);
    expect(parserWords(parseShell('P rm$IFS-rf${IFS}x'))).toEqual([['P', 'rm', '-rf', 'x']]);
    // Quoted or escaped, it is not split (the parser keeps the expansion as written).
    expect(bashWords('P "a$IFS"b \\$IFS')).toEqual([['P', 'a \t\nb', '$IFS']]);
    expect(parserWords(parseShell('P "a$IFS"b \\$IFS'))).toEqual([['P', 'a$IFSb', '$IFS']]);
  });

  it('does not fold look-alike characters into syntax', () => {
    // Fullwidth quote and semicolon are ordinary characters to bash: three words, one command.
    expect(parserWords(parseShell('P ＇；x ＇'))).toEqual([['P', '＇；x', '＇']]);
    expect(parserWords(parseShell("P '\\\n'; P"))).toEqual(bashWords("P '\\\n'; P"));
  });

  it('sees function bodies as commands of their own', () => {
    expect(parserWords(parseShell('f(){ rm -rf x; }; f'))).toEqual([['{', 'rm', '-rf', 'x'], ['}'], ['f']]);
    expect(parserWords(parseShell('function g() { rm y; }'))).toEqual([['{', 'rm', 'y'], ['}']]);
  });
});
