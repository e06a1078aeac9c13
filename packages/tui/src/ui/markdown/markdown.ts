import { Lexer, type Token, type Tokens } from 'marked';
import { clampBottom, lineWidth, plain, sanitize, span, textWidth, wrapLine, type Line, type Span } from '../layout/lines.js';
import { c, theme, type Style } from '../theme/theme.js';
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

const CODE_MAX_LINES = 400;

function codeBlock(t: Tokens.Code, width: number, indent: Line): Line[] {
  const lines = highlight(t.text, t.lang, theme.code);
  const bar: Line = [...indent, span('│ ', theme.border)];
  const out: Line[] = [];
  if (t.lang) out.push([...indent, span(t.lang, theme.dim)]);
  for (const l of lines) out.push(...wrapLine([...bar, ...l], width, bar));
  return clampBottom(out, CODE_MAX_LINES, theme.dim);
}

function table(t: Tokens.Table, width: number): Line[] {
  const head = t.header.map((h) => inline(h.tokens, c.bold));
  const rows = t.rows.map((r) => r.map((cell) => inline(cell.tokens, undefined)));
  const cols = head.length;
  const widths = Array.from({ length: cols }, (_, i) =>
    Math.max(3, ...[head[i]!, ...rows.map((r) => r[i] ?? [])].map((cell) => lineWidth(cell))),
  );
  // Shrink the widest columns until the table fits (cells then wrap inside their column).
  const budget = Math.max(cols * 3, width - (cols * 3 + 1));
  while (widths.reduce((a, b) => a + b, 0) > budget) {
    const i = widths.indexOf(Math.max(...widths));
    if (widths[i]! <= 3) break;
    widths[i]!--;
  }
  const sep = (l: string, m: string, r: string): Line => [span(l + widths.map((w) => '─'.repeat(w + 2)).join(m) + r, theme.border)];
  const row = (cells: Line[]): Line[] => {
    const wrapped = widths.map((w, i) => wrapLine(cells[i] ?? [], w));
    const height = Math.max(...wrapped.map((x) => x.length));
    const out: Line[] = [];
    for (let y = 0; y < height; y++) {
      const line: Line = [span('│ ', theme.border)];
      widths.forEach((w, i) => {
        const cell = wrapped[i]![y] ?? [];
        line.push(...cell, span(' '.repeat(Math.max(0, w - lineWidth(cell)))));
        line.push(span(i === cols - 1 ? ' │' : ' │ ', theme.border));
      });
      out.push(line);
    }
    return out;
  };
  return [sep('┌', '┬', '┐'), ...row(head), sep('├', '┼', '┤'), ...rows.flatMap(row), sep('└', '┴', '┘')];
}

function blocks(tokens: Token[], width: number, indent: Line, style?: Style): Line[] {
  const out: Line[] = [];
  const gap = () => {
    if (out.length > 0 && lineWidth(out[out.length - 1]!) > lineWidth(indent)) out.push([...indent]);
  };
  for (const t of tokens) {
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
          const inner = blocks(item.tokens.filter((x) => x.type !== 'checkbox'), width, pad, style);
          // Replace the first row's padding with the marker.
          const first = inner[0] ?? [...pad];
          first.splice(0, pad.length, ...indent, span(marker, theme.accent));
          out.push(first, ...inner.slice(1));
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
        out.push(...flow([span((t as Tokens.HTML).text.replace(/\n$/, ''), theme.dim)], width, indent, indent));
        break;
      default:
        if (t.raw.trim()) out.push(...flow([span(t.raw.trim(), style)], width, indent, indent));
    }
  }
  return out;
}

/** Renders markdown to wrapped lines of styled spans. */
export function renderMarkdown(text: string, width: number, indent: Line = []): Line[] {
  if (!text.trim()) return [];
  let tokens: Token[];
  try {
    tokens = new Lexer({ gfm: true }).lex(text);
  } catch {
    return flow([span(text)], width, indent, indent);
  }
  return blocks(tokens, Math.max(10, width), indent);
}

export { plain };
