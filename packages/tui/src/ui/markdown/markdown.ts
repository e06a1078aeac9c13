import { Lexer, type Token, type Tokens } from 'marked';
import { clampBottom, lineWidth, plain, sanitize, span, textWidth, wrapLine, type Line, type Span } from '../text/lines.js';
import type { Continued } from '../store/scrollback.js';
import { c, theme, type Style } from '../theme/theme.js';
import { graphemes } from '../../format/width.js';
import { highlight } from './highlight.js';

const compose = (outer: Style | undefined, inner: Style): Style => (outer ? (t) => outer(inner(t)) : inner);

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Inline tokens to spans; newlines inside (soft breaks, `br`) are kept as '\n' in the text. */
function inline(tokens: Token[] | undefined, style: Style | undefined, out: Span[] = []): Span[] {
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'strong':
        inline((t as Tokens.Strong).tokens, compose(style, c.bold), out);
        break;
      case 'em':
        inline((t as Tokens.Em).tokens, compose(style, c.italic), out);
        break;
      case 'del':
        inline((t as Tokens.Del).tokens, compose(style, c.strikethrough), out);
        break;
      case 'codespan':
        out.push(span(decode((t as Tokens.Codespan).text), theme.code));
        break;
      case 'link': {
        const l = t as Tokens.Link;
        inline(l.tokens, compose(style, theme.link), out);
        const label = l.tokens?.map((x) => ('text' in x ? x.text : '')).join('') ?? '';
        if (l.href && l.href !== label && !l.href.startsWith('mailto:')) out.push(span(` (${l.href})`, theme.dim));
        break;
      }
      case 'image': {
        const img = t as Tokens.Image;
        out.push(span(`[image: ${img.text || img.href}]`, theme.dim));
        break;
      }
      case 'br':
        out.push(span('\n', style));
        break;
      case 'text': {
        const tx = t as Tokens.Text;
        if (tx.tokens && tx.tokens.length > 0) inline(tx.tokens, style, out);
        else out.push(span(decode(tx.text), style));
        break;
      }
      case 'escape':
        out.push(span((t as Tokens.Escape).text, style));
        break;
      default:
        out.push(span(decode('text' in t && typeof t.text === 'string' ? t.text : t.raw), style));
    }
  }
  return out;
}

/** Spans with embedded newlines → wrapped rows. */
function flow(spans: Span[], width: number, first: Line, rest: Line): Line[] {
  const logical: Line[] = [[]];
  for (const s of spans) {
    sanitize(s.text)
      .split('\n')
      .forEach((p, i) => {
        if (i > 0) logical.push([]);
        if (p) logical[logical.length - 1]!.push(s.style ? { text: p, style: s.style } : { text: p });
      });
  }
  const rows: Line[] = [];
  logical.forEach((l, i) => {
    const prefix = i === 0 && rows.length === 0 ? first : rest;
    const wrapped = wrapLine([...prefix, ...l], width, rest);
    rows.push(...wrapped);
  });
  return rows;
}

/** The line without its first `n` columns (of padding). */
function dropColumns(line: Line, n: number): Line {
  const out: Line = [];
  let left = n;
  for (const s of line) {
    if (left <= 0) {
      out.push(s);
      continue;
    }
    let cut = 0;
    for (const g of graphemes(s.text)) {
      if (left <= 0) break;
      left -= textWidth(g);
      cut += g.length;
    }
    const rest = s.text.slice(cut);
    if (rest) out.push(s.style ? { text: rest, style: s.style } : { text: rest });
  }
  return out;
}

const CODE_MAX_LINES = 400;

function codeBlock(t: Tokens.Code, width: number, indent: Line): Line[] {
  const lines = highlight(t.text, t.lang, theme.code);
  const bar: Line = [...indent, span('│ ', theme.border)];
  const out: Line[] = [];
  if (t.lang) out.push([...indent, span(t.lang, theme.dim)]);
  for (const l of lines) out.push(...wrapLine([...bar, ...l], width, bar));
  return clampBottom(out, CODE_MAX_LINES, theme.dim);
}

/** The widest word of a cell: below it a column would split words (capped: a URL may split). */
function longestWord(cell: Line): number {
  const words = cell
    .map((x) => x.text)
    .join('')
    .split(/\s+/);
  return Math.min(24, Math.max(3, ...words.map((w) => textWidth(w))));
}

/** A cell padded to its column's width as the header row's `:---:` / `---:` asks. */
function aligned(cell: Line, w: number, align: Tokens.Table['align'][number]): Line {
  const room = Math.max(0, w - lineWidth(cell));
  const left = align === 'right' ? room : align === 'center' ? Math.floor(room / 2) : 0;
  return [...(left ? [span(' '.repeat(left))] : []), ...cell, span(' '.repeat(room - left))];
}

function table(t: Tokens.Table, width: number): Line[] {
  const head = t.header.map((h) => inline(h.tokens, c.bold));
  const rows = t.rows.map((r) => r.map((cell) => inline(cell.tokens, undefined)));
  const cols = head.length;
  const all = [head, ...rows];
  const widths = Array.from({ length: cols }, (_, i) => Math.max(3, ...all.map((r) => lineWidth(r[i] ?? []))));
  const budget = width - (cols * 3 + 1);
  const minimum = Array.from({ length: cols }, (_, i) => Math.max(...all.map((r) => longestWord(r[i] ?? []))));
  // Too narrow for a grid without cutting words: one record per row instead.
  if (minimum.reduce((a, b) => a + b, 0) > budget) return records(head, rows, width);
  // Too wide: every column gets its longest word, and what room is left goes to the columns
  // in proportion to how much more they would take (so a short column is not squeezed).
  const natural = widths.reduce((a, b) => a + b, 0);
  if (natural > budget) {
    const spare = budget - minimum.reduce((a, b) => a + b, 0);
    const want = widths.map((w, i) => w - minimum[i]!);
    const wanted = want.reduce((a, b) => a + b, 0) || 1;
    for (let i = 0; i < cols; i++) widths[i] = minimum[i]! + Math.floor((spare * want[i]!) / wanted);
  }
  const sep = (l: string, m: string, r: string): Line => [span(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r, theme.border)];
  const row = (cells: Line[]): Line[] => {
    const wrapped = widths.map((w, i) => wrapLine(cells[i] ?? [], w));
    const height = Math.max(...wrapped.map((x) => x.length));
    const out: Line[] = [];
    for (let y = 0; y < height; y++) {
      const line: Line = [span('│ ', theme.border)];
      widths.forEach((w, i) => {
        line.push(...aligned(wrapped[i]![y] ?? [], w, t.align[i] ?? null));
        line.push(span(i === cols - 1 ? ' │' : ' │ ', theme.border));
      });
      out.push(line);
    }
    return out;
  };
  return [sep('┌', '┬', '┐'), ...row(head), sep('├', '┼', '┤'), ...rows.flatMap(row), sep('└', '┴', '┘')];
}

/** A table on a narrow screen: each row as its first cell, then `header: value` lines. */
function records(head: Line[], rows: Line[][], width: number): Line[] {
  const out: Line[] = [];
  rows.forEach((r, k) => {
    if (k > 0) out.push([span('─'.repeat(Math.min(width, 20)), theme.border)]);
    out.push(...wrapLine([span(`${head[0]?.map((x) => x.text).join('') ?? ''}: `, c.bold), ...(r[0] ?? [])], width, [span('  ')]));
    for (let i = 1; i < head.length; i++) {
      out.push(
        ...wrapLine([span('  '), ...(head[i] ?? []).map((x) => span(x.text, c.bold)), span(': ', c.bold), ...(r[i] ?? [])], width, [
          span('    '),
        ]),
      );
    }
  });
  return out;
}

/**
 * `after`: blocks were printed before these (an earlier part of the same reply). `inItem`: the
 * blocks of a list item, where a blank row separates blocks only where the source has a blank
 * line (a tight item's nested list follows its text directly).
 */
function blocks(tokens: Token[], width: number, indent: Line, style?: Style, after = false, inItem = false): Line[] {
  const out: Line[] = [];
  let blankBefore = false;
  const gap = () => {
    if (inItem && !blankBefore) return;
    if (out.length === 0 ? after : lineWidth(out[out.length - 1]!) > lineWidth(indent)) out.push([...indent]);
  };
  for (const [k, t] of tokens.entries()) {
    const prev = tokens[k - 1];
    // An HTML block keeps the blank lines after it in its own raw (no space token follows).
    blankBefore = prev !== undefined && (prev.type === 'space' || (prev.type === 'html' && /\n[ \t]*\n$/.test(prev.raw)));
    switch (t.type) {
      case 'space':
        break;
      case 'heading': {
        const h = t as Tokens.Heading;
        gap();
        const hs = h.depth <= 2 ? compose(theme.heading, c.underline) : theme.heading;
        out.push(...flow([span('#'.repeat(h.depth) + ' ', theme.dim), ...inline(h.tokens, hs)], width, indent, indent));
        break;
      }
      case 'paragraph':
        gap();
        out.push(...flow(inline((t as Tokens.Paragraph).tokens, style), width, indent, indent));
        break;
      case 'text': {
        const tx = t as Tokens.Text;
        gap();
        out.push(...flow(tx.tokens ? inline(tx.tokens, style) : [span(decode(tx.text), style)], width, indent, indent));
        break;
      }
      case 'code':
        gap();
        out.push(...codeBlock(t as Tokens.Code, width, indent));
        break;
      case 'blockquote': {
        gap();
        const bar: Line = [...indent, span('▌ ', theme.quote)];
        out.push(...blocks((t as Tokens.Blockquote).tokens, width, bar, compose(style, theme.quote)));
        break;
      }
      case 'list': {
        const l = t as Tokens.List;
        gap();
        const start = typeof l.start === 'number' ? l.start : 1;
        l.items.forEach((item, i) => {
          const marker = item.task ? (item.checked ? '☑ ' : '☐ ') : l.ordered ? `${start + i}. ` : '• ';
          const pad: Line = [...indent, span(' '.repeat(textWidth(marker)))];
          const inner = blocks(
            item.tokens.filter((x) => x.type !== 'checkbox'),
            width,
            pad,
            style,
            false,
            true,
          );
          // The first row starts with the padding's columns (wrapping may have merged them with
          // the text into one span): cut those columns and put the indent and marker there.
          const first = inner[0] ?? [...pad];
          out.push([...indent, span(marker, theme.accent), ...dropColumns(first, lineWidth(pad))], ...inner.slice(1));
        });
        break;
      }
      case 'table':
        gap();
        out.push(...table(t as Tokens.Table, width - lineWidth(indent)).map((l) => [...indent, ...l]));
        break;
      case 'hr':
        gap();
        out.push([...indent, span('─'.repeat(Math.max(3, Math.min(40, width - lineWidth(indent)))), theme.border)]);
        break;
      case 'html':
        // A block like the others (the blank row before it, none of its own after): the same
        // whether the reply streamed in or was loaded whole.
        gap();
        out.push(...flow([span((t as Tokens.HTML).text.replace(/\s+$/, ''), theme.dim)], width, indent, indent));
        break;
      default:
        if (t.raw.trim()) out.push(...flow([span(t.raw.trim(), style)], width, indent, indent));
    }
  }
  return out;
}

/**
 * Renders markdown to wrapped lines of styled spans. `continued`: the text is the rest of a reply
 * whose head is already printed (see store/scrollback): 'block' puts the usual blank row before its
 * first block, 'join' continues the head's list directly.
 */
export function renderMarkdown(source: string, width: number, indent: Line = [], continued?: Continued): Line[] {
  // Model output is cleaned before it is parsed: a control sequence in a code block or a table
  // cell (which are laid out without `flow`) must not reach the terminal either.
  const text = sanitize(source);
  if (!text.trim()) return [];
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(text);
  } catch {
    return flow([span(text)], width, indent, indent);
  }
  return blocks(tokens, Math.max(10, width), indent, undefined, continued === 'block');
}

export { plain };
