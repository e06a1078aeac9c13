/** The draft being typed: text and a cursor (a UTF-16 offset that never splits a surrogate pair). */
export interface Draft {
  text: string;
  cursor: number;
}

export const emptyDraft: Draft = { text: '', cursor: 0 };

export type EditAction =
  | { type: 'insert'; text: string }
  | { type: 'backspace' }
  | { type: 'delete' }
  | { type: 'left' }
  | { type: 'right' }
  | { type: 'home' } // Ctrl+A: start of the line
  | { type: 'end' } // Ctrl+E: end of the line
  | { type: 'wordLeft' }
  | { type: 'wordRight' }
  | { type: 'deleteWordBack' } // Ctrl+W
  | { type: 'killToStart' } // Ctrl+U
  | { type: 'killToEnd' } // Ctrl+K
  | { type: 'up' }
  | { type: 'down' };

function prevIndex(text: string, i: number): number {
  if (i <= 0) return 0;
  const code = text.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1;
}
function nextIndex(text: string, i: number): number {
  if (i >= text.length) return text.length;
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff && i + 2 <= text.length ? i + 2 : i + 1;
}
const lineStart = (text: string, i: number) => text.lastIndexOf('\n', i - 1) + 1;
const lineEnd = (text: string, i: number) => {
  const n = text.indexOf('\n', i);
  return n < 0 ? text.length : n;
};

/** The cursor's row and column (in characters) within a multi-line draft. */
export function cursorRowCol(d: Draft): { row: number; col: number; rows: number } {
  const before = d.text.slice(0, d.cursor);
  const row = before.split('\n').length - 1;
  const col = [...before.slice(lineStart(d.text, d.cursor))].length;
  return { row, col, rows: d.text.split('\n').length };
}

export function edit(d: Draft, a: EditAction): Draft {
  const { text, cursor } = d;
  switch (a.type) {
    case 'insert':
      return { text: text.slice(0, cursor) + a.text + text.slice(cursor), cursor: cursor + a.text.length };
    case 'backspace': {
      if (cursor === 0) return d;
      const p = prevIndex(text, cursor);
      return { text: text.slice(0, p) + text.slice(cursor), cursor: p };
    }
    case 'delete': {
      if (cursor >= text.length) return d;
      return { text: text.slice(0, cursor) + text.slice(nextIndex(text, cursor)), cursor };
    }
    case 'left':
      return { text, cursor: prevIndex(text, cursor) };
    case 'right':
      return { text, cursor: nextIndex(text, cursor) };
    case 'home':
      return { text, cursor: lineStart(text, cursor) };
    case 'end':
      return { text, cursor: lineEnd(text, cursor) };
    case 'wordLeft': {
      let i = cursor;
      while (i > 0 && /\s/.test(text[i - 1]!)) i--;
      while (i > 0 && !/\s/.test(text[i - 1]!)) i--;
      return { text, cursor: i };
    }
    case 'wordRight': {
      let i = cursor;
      while (i < text.length && /\s/.test(text[i]!)) i++;
      while (i < text.length && !/\s/.test(text[i]!)) i++;
      return { text, cursor: i };
    }
    case 'deleteWordBack': {
      const { cursor: i } = edit(d, { type: 'wordLeft' });
      return { text: text.slice(0, i) + text.slice(cursor), cursor: i };
    }
    case 'killToStart': {
      const s = lineStart(text, cursor);
      // At the start of a line, join it with the previous one (like readline's unix-line-discard on an empty line).
      const from = s === cursor && s > 0 ? s - 1 : s;
      return { text: text.slice(0, from) + text.slice(cursor), cursor: from };
    }
    case 'killToEnd': {
      const e = lineEnd(text, cursor);
      const to = e === cursor && e < text.length ? e + 1 : e;
      return { text: text.slice(0, cursor) + text.slice(to), cursor };
    }
    case 'up': {
      const s = lineStart(text, cursor);
      if (s === 0) return d;
      const col = cursor - s;
      const ps = lineStart(text, s - 1);
      return { text, cursor: Math.min(ps + col, s - 1) };
    }
    case 'down': {
      const e = lineEnd(text, cursor);
      if (e >= text.length) return d;
      const col = cursor - lineStart(text, cursor);
      return { text, cursor: Math.min(e + 1 + col, lineEnd(text, e + 1)) };
    }
  }
}

export const onFirstLine = (d: Draft) => !d.text.slice(0, d.cursor).includes('\n');
export const onLastLine = (d: Draft) => !d.text.slice(d.cursor).includes('\n');
