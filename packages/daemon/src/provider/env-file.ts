import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Parses a dotenv file: `KEY=VALUE`, an optional `export ` prefix, `#` comments, single quotes
 * (literal), double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may span lines), and unquoted
 * values ending at ` #`. Lines that are not assignments are ignored, never fatal.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const re = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*/gm;
  let pos = 0;
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(src);
    if (!m) break;
    // Skip assignment-looking text inside a comment line.
    const lineStart = src.lastIndexOf('\n', m.index - 1) + 1;
    if (src.slice(lineStart, m.index).includes('#')) {
      pos = m.index + m[0].length;
      continue;
    }
    const key = m[1]!;
    let i = m.index + m[0].length;
    let value: string;
    const q = src[i];
    if (q === '"' || q === "'") {
      const close = findClose(src, i + 1, q);
      if (close === -1) {
        // Unterminated quote: take the rest of the line literally.
        const eol = endOfLine(src, i);
        value = src.slice(i, eol).trim();
        i = eol;
      } else {
        const inner = src.slice(i + 1, close);
        value = q === '"' ? unescape(inner) : inner;
        i = endOfLine(src, close);
      }
    } else {
      const eol = endOfLine(src, i);
      value = src
        .slice(i, eol)
        .replace(/[ \t]+#.*$/, '')
        .trim();
      i = eol;
    }
    out[key] = value;
    pos = i;
  }
  return out;
}

function endOfLine(s: string, from: number): number {
  const nl = s.indexOf('\n', from);
  return nl === -1 ? s.length : nl;
}

function findClose(s: string, from: number, q: string): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\' && q === '"') {
      i++;
      continue;
    }
    if (s[i] === q) return i;
  }
  return -1;
}

function unescape(s: string): string {
  return s.replace(/\\([nrt"\\$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

/** Reads `HERMES_HOME/.env`; a missing file is an empty map. */
export async function loadEnvFile(home: string): Promise<Record<string, string>> {
  try {
    return parseEnvFile(await readFile(join(home, '.env'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
}
