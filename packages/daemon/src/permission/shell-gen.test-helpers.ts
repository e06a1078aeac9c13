/** Generators of shell text for property tests, and what real bash makes of it. */
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';

/** Word characters bash takes literally outside quotes (no `/`: bash runs a word with a slash as a path, not through the handler below). */
const PLAIN = [
  ...'abcrmxyz019-_.:=+,@%^',
  'ｒｍ',
  '＇',
  '；',
  '｜',
  '＆',
  '＄',
  '\u00a0',
  '\u200b',
  '\u202e',
  '\u3000',
  '\x1b[0m',
  '\x1b]0;t\x07',
  '\r',
  'é',
];
/** Anything a quoted or escaped part may hold. */
const ANY = [
  ...PLAIN,
  ' ',
  '\t',
  '\n',
  ';',
  '|',
  '&',
  '<',
  '>',
  '(',
  ')',
  '#',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '~',
  '!',
  "'",
  '"',
  '\\',
  '$',
  '`',
  '\\\n',
];

const squote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const dquote = (s: string): string => `"${s.replace(/[\\"$`]/g, '\\$&')}"`;
const escaped = (s: string): string => [...s].map((c) => (c === '\n' ? `'\n'` : `\\${c}`)).join('');
const ansiC = (s: string): string =>
  `$'${[...s].map((c) => (c.charCodeAt(0) < 128 && /[A-Za-z0-9 ]/.test(c) ? c : [...Buffer.from(c, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join(''))).join('')}'`;

/** One argument: pieces, each rendered in one quoting style, glued together. */
const piece = fc.oneof(
  fc.array(fc.constantFrom(...PLAIN), { minLength: 1, maxLength: 4 }).map((a) => ({ value: a.join(''), text: a.join('') })),
  ...[squote, dquote, escaped, ansiC].map((render) =>
    fc.array(fc.constantFrom(...ANY), { minLength: 0, maxLength: 5 }).map((a) => ({ value: a.join(''), text: render(a.join('')) })),
  ),
);
/** `\<newline>` between pieces is a line continuation: bash removes it. */
export const word = fc
  .array(fc.tuple(piece, fc.boolean()), { minLength: 1, maxLength: 3 })
  .map((ps) => ps.map(([p, cont], i) => (i && cont ? '\\\n' : '') + p.text).join(''));
export const command = fc.array(word, { minLength: 0, maxLength: 4 }).map((ws) => ['P', ...ws].join(' '));
export const script = fc
  .tuple(fc.array(command, { minLength: 1, maxLength: 3 }), fc.constantFrom('; ', ' && ', '\n', ' ;\n'))
  .map(([cs, sep]) => cs.join(sep));

/** What bash runs: one array of words per simple command (P, or any command not found, prints its words, then a marker). */
export function bashWords(src: string): string[][] {
  const out = execFileSync(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-f',
      '-c',
      `P() { printf '%s\\0' P "$@"; printf '\\1\\0'; }\ncommand_not_found_handle() { printf '%s\\0' "$@"; printf '\\1\\0'; }\n${src}`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } },
  );
  const cmds: string[][] = [[]];
  for (const w of out.split('\0').slice(0, -1)) {
    if (w === '\x01') cmds.push([]);
    else cmds.at(-1)!.push(w);
  }
  return cmds.filter((c) => c.length);
}
