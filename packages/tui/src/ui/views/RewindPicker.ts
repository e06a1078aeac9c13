import { REWIND_TEXT } from '../../format/rewind.js';
import { truncate } from '../../format/width.js';
import { span, textLines, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';
import type { RewindPickerState } from './rewind-picker-state.js';

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The /rewind picker: a window of rows around the selection, then what the selected row would do. */
export function rewindPickerLines(s: RewindPickerState, width: number, maxRows: number): Line[] {
  const row = (label: string, sel: boolean): Line => [
    span(sel ? '› ' : '  ', theme.selected),
    span(truncate(label, Math.max(2, width - 2)), sel ? theme.selected : undefined),
  ];
  if (s.step === 'message') {
    const head: Line = [span(REWIND_TEXT.title, theme.accent), span(`  ${REWIND_TEXT.keys}`, theme.dim)];
    const rows = [...s.choices.map((c, i) => `${i + 1}. ${oneLine(c.text)}`), REWIND_TEXT.current];
    const detail = s.choices[s.index]?.detail ?? (s.choices.length ? REWIND_TEXT.currentDetail : REWIND_TEXT.noMessages);
    const below = textLines(`  ${detail}`, width, theme.dim, [span('  ')]).slice(0, 2);
    return [head, ...windowed(rows, s.index, Math.max(1, maxRows - 1 - below.length)).map(([l, i]) => row(l, i === s.index)), ...below];
  }
  const chosen = s.choices[s.chosen];
  const head: Line = [
    span(truncate(REWIND_TEXT.to(oneLine(chosen?.text ?? '')), Math.max(2, width - 30)), theme.accent),
    span(`  ${REWIND_TEXT.modeKeys}`, theme.dim),
  ];
  const rows = s.options.map((o) => REWIND_TEXT.option[o]);
  const below = chosen ? textLines(`  ${chosen.detail}`, width, theme.dim, [span('  ')]).slice(0, 2) : [];
  return [head, ...windowed(rows, s.index, Math.max(1, maxRows - 1 - below.length)).map(([l, i]) => row(l, i === s.index)), ...below];
}

/** At most `room` rows, the selected one among them. */
function windowed(rows: string[], index: number, room: number): [string, number][] {
  const start = Math.max(0, Math.min(index - Math.floor(room / 2), rows.length - room));
  return rows.slice(start, start + room).map((r, i) => [r, start + i]);
}
