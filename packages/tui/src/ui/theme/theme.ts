import { Chalk, type ChalkInstance } from 'chalk';

/** NO_COLOR (set and not empty, no-color.org) turns colour off, as in `hermes send`; chalk's own detection ignores it. */
export const noColor = (env: NodeJS.ProcessEnv = process.env): boolean => Boolean(env.NO_COLOR);

/** Semantic colours. One chalk instance for the whole UI, at the level the terminal supports. */
export const c: ChalkInstance = noColor() ? new Chalk({ level: 0 }) : new Chalk();

/** Without colour the cursor and the selection still need to be seen: reverse video and bold are not colour. */
const inverse: Style = (t) => `\x1b[7m${t}\x1b[27m`;
const bold: Style = (t) => `\x1b[1m${t}\x1b[22m`;

export type Style = (text: string) => string;

export const theme = {
  accent: c.cyan,
  user: c.bold.blue,
  assistant: c.white,
  dim: c.dim,
  reasoning: c.dim.italic,
  ok: c.green,
  error: c.red,
  warn: c.yellow,
  info: c.cyan,
  heading: c.bold.magenta,
  code: c.yellow,
  link: c.underline.blue,
  quote: c.dim.italic,
  added: c.green,
  removed: c.red,
  hunk: c.cyan,
  cursor: noColor() ? inverse : c.inverse,
  selected: noColor() ? bold : c.bold.cyan,
  border: c.gray,
} satisfies Record<string, Style>;
