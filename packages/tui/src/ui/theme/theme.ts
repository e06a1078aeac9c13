import { Chalk, type ChalkInstance } from 'chalk';

/**
 * Semantic colours. One chalk instance for the whole UI: level 3 unless the terminal says
 * otherwise (NO_COLOR / FORCE_COLOR are honoured by chalk's own detection).
 */
export const c: ChalkInstance = new Chalk();

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
  cursor: c.inverse,
  selected: c.bold.cyan,
  border: c.gray,
} satisfies Record<string, Style>;
