/** ANSI-C quoting `$'…'`, decoded as bash does. */
/**
 * Decodes the body of ANSI-C quoting `$'…'`. As in bash, `\xHH` and octal escapes are bytes
 * (so `$'\xe2\x80\xae'` is one UTF-8 character) and `\u`/`\U` are code points.
 */
export function decodeAnsiC(body: string): string {
  const bytes: number[] = [];
  const text = (t: string): void => {
    bytes.push(...Buffer.from(t, 'utf8'));
  };
  const re = /\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)|[^\\]+|\\$/gs;
  for (const m of body.matchAll(re)) {
    const esc = m[1];
    if (esc === undefined) {
      text(m[0]);
      continue;
    }
    const c = esc[0];
    if (c === 'x') bytes.push(parseInt(esc.slice(1), 16));
    else if (c === 'u' || c === 'U') {
      const code = parseInt(esc.slice(1), 16);
      if (code <= 0x10ffff) text(String.fromCodePoint(code));
    } else if (c !== undefined && c >= '0' && c <= '7') bytes.push(parseInt(esc, 8) & 0xff);
    else if (c === 'c') bytes.push(esc.charCodeAt(1) & 0x1f);
    else {
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v' };
      text(simple[esc] ?? esc);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
