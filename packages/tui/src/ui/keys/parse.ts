/** A key press, decoded from one raw input event of Ink's stdin parser. */
export interface Key {
  name:
    | 'char'
    | 'enter'
    | 'newline'
    | 'backspace'
    | 'delete'
    | 'tab'
    | 'backtab'
    | 'escape'
    | 'up'
    | 'down'
    | 'left'
    | 'right'
    | 'home'
    | 'end'
    | 'pageup'
    | 'pagedown'
    | 'unknown';
  /** The printable text for `char` (one or more characters). */
  text: string;
  ctrl: boolean;
  meta: boolean;
  shift: boolean;
}

const key = (name: Key['name'], mods: Partial<Omit<Key, 'name'>> = {}): Key => ({
  name,
  text: '',
  ctrl: false,
  meta: false,
  shift: false,
  ...mods,
});

const CSI_NAMES: Record<string, Key['name']> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'backtab',
};
const TILDE_NAMES: Record<string, Key['name']> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
  '5': 'pageup',
  '6': 'pagedown',
};

/** xterm modifier parameter: 1 + (shift 1, alt 2, ctrl 4). */
function mods(param: string | undefined): Pick<Key, 'shift' | 'meta' | 'ctrl'> {
  const m = Math.max(0, Number(param ?? 1) - 1);
  return { shift: (m & 1) !== 0, meta: (m & 2) !== 0, ctrl: (m & 4) !== 0 };
}

/**
 * Decodes one raw input event (a text run, a control character or an escape sequence).
 * Ctrl+letter comes back as `char` with `ctrl` and the lowercase letter in `text`.
 */
export function parseKey(raw: string): Key {
  if (raw === '\r') return key('enter');
  if (raw === '\n') return key('newline', { ctrl: true, text: 'j' });
  if (raw === '\t') return key('tab');
  if (raw === '\x7f' || raw === '\b') return key('backspace');
  if (raw === '\x1b' || raw === '\x1b\x1b') return key('escape');
  if (raw === '\x1b\r' || raw === '\x1b\n') return key('newline', { meta: true });
  if (raw === '\x1b\x7f') return key('backspace', { meta: true });
  if (raw.length === 1) {
    const code = raw.charCodeAt(0);
    if (code >= 1 && code <= 26) return key('char', { ctrl: true, text: String.fromCharCode(code + 96) });
    if (code < 32) return key('unknown');
  }
  // CSI sequences: ESC [ params final.
  const csi = /^\x1b\[([\d;]*)([A-Za-z~u])$/.exec(raw);
  if (csi) {
    const params = csi[1]!.split(';');
    const final = csi[2]!;
    if (final === 'u') {
      // kitty / CSI-u: ESC [ code ; mods u
      const code = Number(params[0]);
      const m = mods(params[1]);
      if (code === 13) return key(m.shift || m.ctrl || m.meta ? 'newline' : 'enter', m);
      if (code === 27) return key('escape', m);
      if (code === 9) return key('tab', m);
      if (code === 127) return key('backspace', m);
      if (m.ctrl && code >= 97 && code <= 122) return key('char', { ...m, text: String.fromCharCode(code) });
      return key('char', { ...m, text: String.fromCodePoint(code) });
    }
    if (final === '~') {
      // xterm modifyOtherKeys: ESC [ 27 ; mods ; code ~
      if (params[0] === '27' && params[2] !== undefined) {
        const m = mods(params[1]);
        if (params[2] === '13') return key('newline', m);
        return key('char', { ...m, text: String.fromCharCode(Number(params[2])) });
      }
      const name = TILDE_NAMES[params[0] ?? ''];
      return name ? key(name, mods(params[1])) : key('unknown');
    }
    const name = CSI_NAMES[final];
    if (name) return key(name, params.length > 1 ? mods(params[1]) : {});
    return key('unknown');
  }
  const ss3 = /^\x1bO([A-Za-z])$/.exec(raw);
  if (ss3) {
    const name = CSI_NAMES[ss3[1]!];
    return name ? key(name) : key('unknown');
  }
  if (raw.startsWith('\x1b') && raw.length === 2) {
    // Alt+letter.
    return key('char', { meta: true, text: raw[1]! });
  }
  if (raw.startsWith('\x1b')) return key('unknown');
  return key('char', { text: raw });
}

export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';

export type InputEvent = { kind: 'key'; key: Key } | { kind: 'paste'; text: string };

/**
 * Turns Ink's raw input events into keys and pastes. Bracketed paste arrives as the start
 * marker, any number of events, and the end marker; everything between is one paste.
 * A text run with a line break inside that arrived without brackets is treated as a paste too
 * (a terminal without bracketed paste), except a trailing lone CR, which is Enter after typing.
 */
export class InputDecoder {
  private pasting: string | null = null;

  push(raw: string): InputEvent[] {
    if (this.pasting !== null) {
      const end = raw.indexOf(PASTE_END);
      if (end < 0) {
        this.pasting += raw;
        return [];
      }
      const text = this.pasting + raw.slice(0, end);
      this.pasting = null;
      const rest = raw.slice(end + PASTE_END.length);
      return [{ kind: 'paste', text: normalizeNewlines(text) }, ...(rest ? this.push(rest) : [])];
    }
    if (raw.startsWith(PASTE_START)) {
      this.pasting = '';
      const rest = raw.slice(PASTE_START.length);
      return rest ? this.push(rest) : [];
    }
    if (raw.length > 1 && !raw.startsWith('\x1b')) {
      const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const events: InputEvent[] = [];
      if (/[\r\n]/.test(body)) events.push({ kind: 'paste', text: normalizeNewlines(body) });
      else if (body) {
        // Typed quickly (or a test writing a whole line): one key per control char, text runs kept.
        for (const part of body.match(/[\x00-\x1f\x7f]|[^\x00-\x1f\x7f]+/g) ?? []) {
          events.push({ kind: 'key', key: parseKey(part) });
        }
      }
      if (body !== raw) events.push({ kind: 'key', key: parseKey('\r') });
      return events;
    }
    return [{ kind: 'key', key: parseKey(raw) }];
  }

  get inPaste(): boolean {
    return this.pasting !== null;
  }
}

function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
