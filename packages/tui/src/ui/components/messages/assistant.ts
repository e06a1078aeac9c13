import { span, textLines, type Line } from '../../layout/lines.js';
import { renderMarkdown } from '../../markdown/markdown.js';
import type { Continued } from '../../store/commit.js';
import { theme } from '../../theme/theme.js';

const INDENT: Line = [span('  ')];

export function reasoningLines(reasoning: string, width: number): Line[] {
  if (!reasoning.trim()) return [];
  return [[span('  thinking', theme.reasoning)], ...textLines(reasoning.trim(), width, theme.reasoning, [span('  ')]).map((l) => [span('  '), ...l])];
}

/** An assistant reply (or a chunk of one): dimmed reasoning first when shown, then markdown. */
export function assistantLines(opts: { text: string; reasoning?: string; showReasoning: boolean; width: number; continued?: Continued | undefined }): Line[] {
  const out: Line[] = [];
  if (opts.showReasoning && opts.reasoning) out.push(...reasoningLines(opts.reasoning, opts.width - 2));
  const body = renderMarkdown(opts.text, opts.width, INDENT, opts.continued);
  if (body.length > 0 && out.length > 0) out.push([]);
  out.push(...body);
  return out;
}
