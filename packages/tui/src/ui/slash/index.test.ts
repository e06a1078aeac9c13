import { describe, expect, it } from 'vitest';
import { COMMANDS, completeSlash, parseSlash } from './index.js';

const name = (text: string) => {
  const r = parseSlash(text);
  return r && 'command' in r ? [r.command.name, r.args] : r;
};

describe('slash commands: parsing what is typed', () => {
  it('finds a command by name, alias or unique prefix, case-insensitively, with its arguments trimmed', () => {
    expect(name('/model  openai:gpt-4o  ')).toEqual(['model', 'openai:gpt-4o']);
    expect(name('/clear')).toEqual(['new', '']);
    expect(name('/unrewind')).toEqual(['redo', '']);
    expect(name('/MODEL x')).toEqual(['model', 'x']);
    expect(name('/he')).toEqual(['help', '']);
    expect(name('  /title a new\ntitle  ')).toEqual(['title', 'a new\ntitle']);
  });

  it('an ambiguous prefix names the candidates; an unknown name says how to send a literal slash', () => {
    expect(parseSlash('/re')).toEqual({ error: expect.stringMatching(/^\/re could be .*\/redo.*\/rewind/) });
    expect(parseSlash('/nosuch arg')).toEqual({ error: expect.stringContaining('unknown command /nosuch') });
    expect(parseSlash('/nosuch')).toEqual({ error: expect.stringContaining('start with //') });
    // A bare slash is no command either.
    expect(parseSlash('/')).toMatchObject({ error: expect.any(String) });
  });

  it('text that is not a command is not parsed as one', () => {
    expect(parseSlash('hello /model')).toBeNull();
    expect(parseSlash('')).toBeNull();
  });

  it('names and aliases are unique, so every one reaches exactly one command', () => {
    const all = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    expect(new Set(all).size).toBe(all.length);
    for (const n of all) expect(name(`/${n}`)).toEqual([COMMANDS.find((c) => c.name === n || c.aliases?.includes(n))!.name, '']);
  });
});

describe('slash completion', () => {
  it('offers the commands the prefix matches, with a space after those that take arguments', () => {
    const model = completeSlash('/mo');
    expect(model).toEqual([expect.objectContaining({ value: '/model ', label: expect.stringMatching(/^\/model \S/) })]);
    const cancel = completeSlash('/canc');
    expect(cancel.map((c) => c.value)).toEqual(['/cancel']);
    expect(completeSlash('/').length).toBe(COMMANDS.length);
  });

  it('stops completing once arguments are being typed, or for text that is not a command', () => {
    expect(completeSlash('/model op')).toEqual([]);
    expect(completeSlash('hi /mo')).toEqual([]);
    expect(completeSlash('/zzz')).toEqual([]);
  });
});
