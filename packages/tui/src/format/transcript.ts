import { formatDuration } from './duration.js';
import { toolLabel, toolSummary } from './tool.js';
import type { RunError, StopReason, ToolItem, Transcript, TranscriptItem } from '@hermes/protocol';
import { compactionLine } from './compaction.js';
import { modelLabel } from './model.js';
import { filesChangedDetail, forkedFromLine, rewoundMark } from './checkpoint.js';
import { runEndText } from './run-end.js';
import { queuedLabel, userHeading } from './delivery.js';
import { shortDateTime } from './time.js';

/** The first and last lines of a long text, with how many were left out between. */
export function trimLines(text: string, maxLines: number, maxChars = 4000): string {
  let t = text.replace(/\s+$/, '');
  if (t.length > maxChars) t = `${t.slice(0, maxChars / 2)}\n…\n${t.slice(-maxChars / 2)}`;
  const lines = t.split('\n');
  if (lines.length <= maxLines) return t;
  const head = Math.ceil(maxLines / 2);
  const tail = maxLines - head;
  return [...lines.slice(0, head), `… ${lines.length - maxLines} more lines …`, ...lines.slice(lines.length - tail)].join('\n');
}

function toolStatus(item: ToolItem): string {
  const time = item.durationMs !== undefined ? ` (${formatDuration(item.durationMs)})` : '';
  if (item.status === 'running') return 'running';
  if (item.status === 'ok') return `ok${time}`;
  const code = item.exitCode !== undefined && item.exitCode !== null ? ` exit ${item.exitCode}` : '';
  return `failed${code}${time}`;
}

function runEnd(stopReason: StopReason, error: RunError | undefined): string {
  return `${runEndText(stopReason, error)}${error?.hint ? ` (${error.hint})` : ''}`;
}

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((l) => (l ? prefix + l : prefix.trimEnd()))
    .join('\n');

/** The visible items and those rewinds in force hid, in log order, each hidden one with its rewind. */
function withRewound(t: Transcript): { item: TranscriptItem; rewindId: string | null }[] {
  const all = t.items.map((item) => ({ item, rewindId: null as string | null }));
  for (const r of t.rewinds ?? []) if (!r.unrewound) for (const item of r.hidden) all.push({ item, rewindId: r.rewindId });
  return all.sort((a, b) => a.item.seq - b.item.seq);
}

/** A transcript as readable plain text, for `hermes sessions show` (rewound items marked); `defaultModel` as in modelLabel. */
export function transcriptToText(t: Transcript, defaultModel?: string | null): string {
  const out: string[] = [];
  out.push(`${t.title}`);
  out.push(`  session ${t.sessionId} · ${modelLabel(t.model, defaultModel)} · ${t.workspace}`);
  out.push(`  created ${shortDateTime(t.createdAt)} · updated ${shortDateTime(t.updatedAt)} · ${t.messageCount} messages · ${t.status}`);
  // Who is speaking: a tool call of an assistant turn without text still goes under its heading.
  let speaker: 'user' | 'assistant' | null = null;
  const assistantHeading = () => {
    if (speaker === 'assistant') return;
    out.push('▌ assistant', '');
    speaker = 'assistant';
  };
  if (t.forkedFrom) out.push(`  ${forkedFromLine(t.forkedFrom, t.workspace)}`);
  let inRewind: string | null = null;
  let nth = 0;
  for (const { item, rewindId } of withRewound(t)) {
    if (rewindId !== inRewind) {
      out.push('', `  ${rewoundMark(rewindId)}`);
      inRewind = rewindId;
      speaker = null;
    }
    out.push('');
    switch (item.kind) {
      case 'user':
        // Visible messages are numbered as `sessions rewind --to N` and `/fork N` count them.
        out.push(`▌ ${userHeading(item.delivery)}${rewindId ? '' : ` #${++nth}`}`);
        out.push(indent(item.text, '  '));
        speaker = 'user';
        break;
      case 'assistant':
        if (item.text.trim()) {
          out.push(`▌ assistant${item.status === 'partial' ? ' (cut short)' : item.status === 'streaming' ? ' (streaming)' : ''}`);
          out.push(indent(item.text.trim(), '  '));
          speaker = 'assistant';
        } else {
          out.pop();
        }
        break;
      case 'tool': {
        assistantHeading();
        out.push(`  ⚙ ${toolLabel(item.name)}: ${toolSummary(item)} → ${toolStatus(item)}`);
        const body = item.result ?? item.output;
        if (body.trim()) out.push(indent(trimLines(body, 8, 2000), '    │ '));
        break;
      }
      case 'approval':
        assistantHeading();
        out.push(`  ? ${item.tool}: ${item.summary} → ${item.decision} by ${item.by}${item.reason ? ` (${item.reason})` : ''}`);
        break;
      case 'notice':
        out.push(`  ! ${item.message}`);
        break;
      case 'run_end':
        out.push(`  ✗ ${runEnd(item.stopReason, item.error)}`);
        break;
      case 'compaction':
        out.push(`  ✻ ${compactionLine(item)}`);
        break;
      case 'changes':
        out.push(`  ± ${filesChangedDetail(item.files)}`);
        break;
    }
  }
  if (t.queued.length) {
    out.push('');
    for (const q of t.queued) out.push(`  (${queuedLabel(q)}) ${q.text.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
  return out.join('\n') + '\n';
}

/** A fence that no backtick run inside the text can close. */
function fence(text: string, lang = ''): string {
  let longest = 0;
  for (const m of text.matchAll(/`{3,}/g)) longest = Math.max(longest, m[0].length);
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text.replace(/\s+$/, '')}\n${f}`;
}

const inlineCode = (text: string) => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);

/** A transcript as Markdown, for `hermes sessions export --format md`. */
export function transcriptToMarkdown(t: Transcript): string {
  const out: string[] = [];
  out.push(`# ${t.title}`, '');
  out.push(`- Session: \`${t.sessionId}\``);
  out.push(`- Model: ${t.model ? `\`${t.model}\`` : 'default'}`);
  out.push(`- Workspace: \`${t.workspace}\``);
  out.push(`- Created: ${t.createdAt}`);
  out.push(`- Updated: ${t.updatedAt}`);
  // As in the text form: a tool call of a turn without text goes under an Assistant heading.
  let speaker: 'user' | 'assistant' | null = null;
  const assistantHeading = () => {
    if (speaker !== 'assistant') out.push('', '## Assistant');
    speaker = 'assistant';
  };
  for (const item of t.items) {
    switch (item.kind) {
      case 'user':
        out.push('', '## User', '', item.text.trim());
        speaker = 'user';
        break;
      case 'assistant':
        if (item.text.trim()) {
          out.push('', `## Assistant${item.status === 'partial' ? ' (cut short)' : ''}`, '', item.text.trim());
          speaker = 'assistant';
        }
        break;
      case 'tool': {
        assistantHeading();
        const args = toolSummary(item);
        out.push('', `**Tool \`${toolLabel(item.name)}\`**${args ? `: ${inlineCode(args)}` : ''} — ${toolStatus(item)}`);
        const body = item.result ?? item.output;
        if (body.trim()) out.push('', fence(trimLines(body, 40, 8000), 'text'));
        if (item.diff) out.push('', fence(trimLines(item.diff, 80, 16000), 'diff'));
        break;
      }
      case 'approval':
        assistantHeading();
        out.push(
          '',
          `> Approval for \`${item.tool}\` (${item.summary}): **${item.decision}** by ${item.by}${item.reason ? ` — ${item.reason}` : ''}`,
        );
        break;
      case 'notice':
        out.push('', `> ${item.level === 'info' ? 'Note' : item.level === 'warn' ? 'Warning' : 'Error'}: ${item.message}`);
        break;
      case 'run_end':
        out.push('', `> ${runEnd(item.stopReason, item.error)}`);
        break;
      case 'compaction':
        out.push('', `---`, '', `> ${compactionLine(item)}`);
        break;
      case 'changes':
        out.push('', `> ${filesChangedDetail(item.files, 20)}`);
        break;
    }
  }
  return out.join('\n') + '\n';
}
