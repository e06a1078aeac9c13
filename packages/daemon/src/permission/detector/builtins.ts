/** Shell builtins that store a command to run later: `trap`, `alias`. */
import { analysePayload } from './args.js';
import { each, type ProgramCheck } from './program-call.js';

/** `trap 'cmd' EXIT`: the handler runs when the signal comes (EXIT always does). */
const trap: ProgramCheck = ({ texts }, f, ctx) => {
  const ops = texts.filter((t, i) => !(/^-[lp]$/.test(t) || (t === '--' && i === 0)));
  if (texts.some((t) => /^-[lp]$/.test(t))) return; // only lists or prints handlers
  if (ops[0] !== undefined && ops[0] !== '-') analysePayload(ops[0], f, ctx);
};

/** `alias x='rm -rf ~'`: the value runs whenever `x` is used (in shells that expand aliases). */
const alias: ProgramCheck = ({ operands }, f, ctx) => {
  if (operands.some((o) => /^(?:sudo|ls|cd|git|cat|echo)=/.test(o))) f.add('dangerous', 'alias shadows a common command');
  for (const o of operands) {
    const eq = o.indexOf('=');
    if (eq > 0) analysePayload(o.slice(eq + 1), f, ctx);
  }
};

export const BUILTINS: Record<string, ProgramCheck> = {
  trap,
  alias,
  ...each(['complete', 'compgen'], ({ texts }, f, ctx) => {
    const c = texts.findIndex((t) => t === '-C');
    if (c !== -1 && texts[c + 1]) analysePayload(texts[c + 1]!, f, ctx);
  }),
};
