import type { EditAction } from './editor.js';
import type { Key } from './parse.js';

/** What a key means at the prompt; the Chat container carries it out. Bindings are data. */
export type InputIntent =
  | { kind: 'edit'; action: EditAction }
  | { kind: 'ctrl-c' }
  | { kind: 'ctrl-d' }
  | { kind: 'history'; dir: -1 | 1 }
  | { kind: 'external-editor' }
  | { kind: 'expand-tool' }
  | { kind: 'suspend' }
  | { kind: 'toggle-plan' }
  | { kind: 'enter' }
  | { kind: 'up' }
  | { kind: 'down' }
  | { kind: 'tab' }
  | { kind: 'escape' }
  | { kind: 'none' };

const edit = (action: EditAction): InputIntent => ({ kind: 'edit', action });

export const CTRL_BINDINGS: Record<string, InputIntent> = {
  a: edit({ type: 'home' }),
  e: edit({ type: 'end' }),
  b: edit({ type: 'left' }),
  f: edit({ type: 'right' }),
  w: edit({ type: 'deleteWordBack' }),
  u: edit({ type: 'killToStart' }),
  k: edit({ type: 'killToEnd' }),
  h: edit({ type: 'backspace' }),
  c: { kind: 'ctrl-c' },
  d: { kind: 'ctrl-d' },
  p: { kind: 'history', dir: -1 },
  n: { kind: 'history', dir: 1 },
  g: { kind: 'external-editor' },
  o: { kind: 'expand-tool' },
  z: { kind: 'suspend' },
  t: { kind: 'toggle-plan' },
};

export const META_BINDINGS: Record<string, InputIntent> = {
  b: edit({ type: 'wordLeft' }),
  f: edit({ type: 'wordRight' }),
};

export function inputIntent(key: Key): InputIntent {
  if (key.name === 'char' && key.ctrl) return CTRL_BINDINGS[key.text] ?? { kind: 'none' };
  if (key.name === 'char' && key.meta) return META_BINDINGS[key.text] ?? { kind: 'none' };
  switch (key.name) {
    case 'char':
      return edit({ type: 'insert', text: key.text });
    case 'newline':
      return edit({ type: 'insert', text: '\n' });
    case 'backspace':
      return edit(key.meta ? { type: 'deleteWordBack' } : { type: 'backspace' });
    case 'delete':
      return edit({ type: 'delete' });
    case 'left':
      return edit(key.ctrl || key.meta ? { type: 'wordLeft' } : { type: 'left' });
    case 'right':
      return edit(key.ctrl || key.meta ? { type: 'wordRight' } : { type: 'right' });
    case 'home':
      return edit({ type: 'home' });
    case 'end':
      return edit({ type: 'end' });
    case 'enter':
    case 'up':
    case 'down':
    case 'tab':
    case 'escape':
      return { kind: key.name };
    default:
      return { kind: 'none' };
  }
}
