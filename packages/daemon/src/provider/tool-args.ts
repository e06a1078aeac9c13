import type { ToolCall } from '@hermes/protocol';

/**
 * Parses a call's raw arguments once, at the end. `""` means no arguments. Anything that is not
 * a JSON object (cut by max tokens, an array, a string) is kept raw in `invalidArgs`, so the
 * caller can tell the model and never executes it.
 */
export function finishToolCall(id: string, name: string, raw: string): ToolCall {
  if (raw.trim() === '') return { id, name, args: {} };
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { id, name, args: value as Record<string, unknown> };
    }
  } catch {
    // fall through: unparseable
  }
  return { id, name, args: {}, invalidArgs: raw };
}

let counter = 0;
/** Ids for calls the server sent without one: tool results must refer to something. */
export function syntheticCallId(): string {
  counter = (counter + 1) % 1_000_000;
  return `call_h${Date.now().toString(36)}${counter.toString(36)}`;
}
