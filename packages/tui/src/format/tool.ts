import { clarifyArgsSummary } from './clarify.js';
import { todoArgsSummary } from './plan.js';

/**
 * How a tool call is named and summarised, everywhere a person reads it (the TUI's cards,
 * `hermes send`'s stderr lines, `sessions show` and the markdown export).
 */

/** `mcp__docs__search` → `docs › search`; built-in tools keep their name. */
export function toolLabel(name: string): string {
  if (!name.startsWith('mcp__')) return name;
  const rest = name.slice(5);
  const at = rest.indexOf('__');
  return at > 0 ? `${rest.slice(0, at)} › ${rest.slice(at + 2)}` : name;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/**
 * What a call is about, on one line: the daemon's own summary of it (`tool.started` carries
 * it), or, for a log written before it did, one made here from the arguments.
 */
export function toolSummary(call: { summary?: string | undefined; args: Record<string, unknown> }): string {
  return call.summary !== undefined ? flat(call.summary) : argsSummary(call.args);
}

/** The fallback: the command, `pattern in path`, the path, or compact JSON. */
function argsSummary(args: Record<string, unknown>): string {
  if ('todos' in args) return todoArgsSummary(args.todos);
  if ('questions' in args) return clarifyArgsSummary(args.questions);
  const pattern = str(args.pattern);
  if (pattern) return flat(str(args.path) ? `${pattern} in ${str(args.path)}` : pattern);
  const pick = str(args.command) ?? str(args.cmd) ?? str(args.path) ?? str(args.file) ?? str(args.query) ?? str(args.url);
  if (pick) {
    const text = pick.trim();
    return text.includes('\n') ? `${flat(text.split('\n')[0]!)} …` : flat(text);
  }
  const json = JSON.stringify(args);
  return json === '{}' ? '' : json;
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
