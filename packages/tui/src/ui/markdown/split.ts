import { Lexer, type Token, type Tokens } from 'marked';

/**
 * Where a streaming reply can be cut so that the head is final: it renders the same on its own
 * as it will inside the whole reply, whatever text comes after. `join` says how the next part
 * continues: `false` after a finished block (a blank row goes between, as in the whole render),
 * `true` inside a list (the next item follows its sibling directly).
 */
export interface StableSplit {
  offset: number;
  join: boolean;
}

function closesAtBlank(t: Token): boolean {
  if (t.type === 'code') return /^ {0,3}(`{3,}|~{3,})/.test(t.raw);
  return t.type === 'paragraph' || t.type === 'heading' || t.type === 'table' || t.type === 'hr';
}

const NONE: StableSplit = { offset: 0, join: false };

/** Where each token's raw text starts in `text` (link definitions have no token, so search). */
function starts(text: string, raws: string[], from = 0): number[] | null {
  const out: number[] = [];
  let pos = from;
  for (const raw of raws) {
    const at = text.indexOf(raw, pos);
    if (at < 0) return null;
    out.push(at);
    pos = at + raw.length;
  }
  return out;
}

/**
 * Uses the same lexer as the renderer, so block boundaries are the renderer's own: every
 * top-level block but the last is final (a later block cannot change an earlier one), and in a
 * last block that is a list, every item but the last is. Text inside a fence, a blank line
 * inside a list item, a lazy continuation: all are inside one token and never cut.
 * (One difference remains: a reference link used before its `[1]: url` definition has arrived
 * prints as written; loaded whole, it is a link.)
 */
export function stableSplit(streaming: string): StableSplit {
  // Only whole lines: a partial last line can still turn into something that merges with the
  // block before it (`3` becomes `3. item`, continuing the list above).
  const text = streaming.slice(0, streaming.lastIndexOf('\n') + 1);
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(text);
  } catch {
    return NONE;
  }
  const at = starts(
    text,
    tokens.map((t) => t.raw),
  );
  if (!at) return NONE;
  let last = tokens.length - 1;
  while (last >= 0 && tokens[last]!.type === 'space') last--;
  if (last < 0) return NONE;
  const lastToken = tokens[last]!;
  // A blank line ends these for good (a list, an indented code block, a quote or some HTML
  // could go on after it).
  if (last < tokens.length - 1 && closesAtBlank(lastToken)) return { offset: text.length, join: false };
  if (lastToken.type === 'list') {
    const items = (lastToken as Tokens.List).items;
    const itemAt =
      items.length > 1
        ? starts(
            text,
            items.map((i) => i.raw),
            at[last],
          )
        : null;
    if (itemAt) return { offset: itemAt[itemAt.length - 1]!, join: true };
  }
  return last > 0 ? { offset: at[last]!, join: false } : NONE;
}

/** Characters that could pair up with later text and restyle what is printed (emphasis, code, links, entities, tables). */
const MARKUP = /[*_~`[\]<>&\\|!#]|:\/\/|www\./;

/**
 * Inside a last paragraph that is still streaming: how much of it (from the start of `tail`)
 * is printed for good. Only plain prose on one line (markup could still change how earlier
 * words look once closed), and only rows above the last two (the last word may grow and move
 * down). `rows` renders text the way the screen will, so the rows match. 0 when none.
 */
export function paragraphSplit(tail: string, rows: (text: string) => string[]): number {
  if (tail.includes('\n') || MARKUP.test(tail) || /[\x00-\x08\x0b-\x1f]/.test(tail)) return 0;
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(tail).filter((t) => t.type !== 'space');
  } catch {
    return 0;
  }
  const p = tokens[0];
  if (tokens.length !== 1 || p?.type !== 'paragraph' || tail.trimStart() !== tail) return 0;
  const inner = (p as Tokens.Paragraph).tokens;
  if (inner.length !== 1 || inner[0]!.type !== 'text' || (inner[0] as Tokens.Text).text !== p.text) return 0;
  const shown = rows(tail);
  const keep = shown.length - 2;
  if (keep <= 0) return 0;
  // The committed rows hold the first n visible characters of the source, one for one.
  let n = shown.slice(0, keep).reduce((sum, r) => sum + r.replace(/\s/g, '').length, 0);
  let at = 0;
  for (const ch of tail) {
    if (n === 0) break;
    if (!/\s/.test(ch)) n--;
    at += ch.length;
  }
  return n === 0 ? at : 0;
}
