import { describe, nestedInstructions, type InstructionOptions } from '../instructions/load.js';
import { nestedBlock } from '../instructions/render.js';
import type { ToolRegistry } from '../tool/index.js';
import { spillIfLong } from '../tool-output/spill.js';
import type { Redactor } from '../util/redact.js';
import type { RunContext } from './types.js';

/** How much live output is kept to save whole (the terminal's own result keeps only head and tail). */
const MAX_SAVED_CHARS = 8 * 1024 * 1024;

/**
 * The registry a run's tools go through, with what long sessions need on top of each tool:
 * a result over the cap is saved whole under HERMES_HOME/tool-output and the model gets its
 * head, tail and the file; and the first call that touches a subfolder with its own
 * instruction file gets that file appended (once per session), so the system prompt never
 * changes mid-session.
 */
export function withToolExtras(
  inner: ToolRegistry,
  o: { ctx: RunContext; redactor: Redactor; instructions: InstructionOptions | null; attached: Set<string> },
): ToolRegistry {
  return {
    getTool: (name) => inner.getTool(name),
    toolSpecs: () => inner.toolSpecs(),
    parseCall: (name, raw) => inner.parseCall(name, raw),
    async runTool(name, rawArgs, toolCtx) {
      let live = '';
      const onOutput = (text: string) => {
        if (live.length < MAX_SAVED_CHARS) live += text;
        toolCtx.onOutput(text);
      };
      const r = await inner.runTool(name, rawArgs, { ...toolCtx, onOutput });
      let result = r.result;
      if (toolCtx.toolCallId) {
        // Redacted before it is written: the file must hold no more than the log may.
        result = await spillIfLong({
          home: o.ctx.home,
          sessionId: o.ctx.sessionId,
          toolCallId: toolCtx.toolCallId,
          result: o.redactor.redact(result),
          whole: o.redactor.redact(live),
        });
      }
      const touched = toolCtx.target?.requested;
      if (o.instructions && touched) {
        const nested = await nestedInstructions(touched, o.instructions, o.attached).catch(() => []);
        if (nested.length > 0) {
          for (const f of nested) o.attached.add(f.path);
          await o.ctx.emit({ type: 'instructions.loaded', data: { files: describe(nested) } });
          result += nestedBlock(nested, o.instructions.workspace);
        }
      }
      return result === r.result ? r : { ...r, result };
    },
  };
}
