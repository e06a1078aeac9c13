import type { ClarifyQuestion } from '@hermes/protocol';
import { CLARIFY_TEXT, isRecommended, questionHeading } from '../../format/clarify.js';
import { inReview, isFreeText, isTyping, type ClarifyPick } from '../keys/clarify.js';
import { span, textLines, textWidth, wrapLine, type Line } from '../text/lines.js';
import { theme } from '../theme/theme.js';
import { inputLines } from './InputBox.js';

/** One choosable row of the picker: its first line(s), and a description that may be left out for room. */
interface Entry {
  main: Line[];
  desc: Line[];
  selected: boolean;
}

const BAR = () => span('│ ', theme.accent);
const barred = (l: Line): Line => [BAR(), ...l];

/** `✓ Database  · Name  · Submit`: where the user is among several questions (the current one highlighted). */
function tabsLine(questions: readonly ClarifyQuestion[], s: ClarifyPick, width: number): Line[] {
  const tabs = questions.map((q, i) => ({ label: q.header || CLARIFY_TEXT.tab(i), done: s.answers[i] !== null, current: s.step === i }));
  tabs.push({ label: CLARIFY_TEXT.tabSubmit, done: false, current: inReview(questions, s) });
  const line: Line = [];
  tabs.forEach((t, i) => {
    if (i > 0) line.push(span('  '));
    line.push(span(t.done ? '✓ ' : '· ', t.done ? theme.ok : theme.dim));
    line.push(span(t.label, t.current ? theme.cursor : t.done ? undefined : theme.dim));
  });
  return wrapLine(line, width - 2).map(barred);
}

function optionEntries(q: ClarifyQuestion, s: ClarifyPick, width: number): Entry[] {
  const opts = q.options ?? [];
  const row = s.rows[s.step]!;
  const toggled = s.toggled[s.step]!;
  const answered = s.answers[s.step];
  const entries: Entry[] = opts.map((o, i) => {
    const selected = row === i;
    const box = q.multiSelect ? (toggled.includes(i) ? '[x] ' : '[ ] ') : '';
    const chosen = !q.multiSelect && answered?.[0] === o.label ? ' ✓' : '';
    const style = selected ? theme.selected : isRecommended(o.label) ? theme.accent : undefined;
    const indent = ' '.repeat(2 + box.length + `${i + 1}. `.length);
    const main = wrapLine(
      [span(selected ? '› ' : '  ', theme.selected), span(`${box}${i + 1}. ${o.label}`, style), span(chosen, theme.ok)],
      width - 2,
      [span(indent)],
    );
    const desc = o.description ? textLines(o.description, width - 2 - indent.length, theme.dim, []).map((l) => [span(indent), ...l]) : [];
    return { main: main.map(barred), desc: desc.map(barred), selected };
  });
  // "Other…": a label, or the typed answer being edited in its place.
  const n = opts.length;
  const selected = row === n;
  const lead = `${q.multiSelect ? '    ' : ''}${n + 1}. `;
  const text = s.texts[s.step]!;
  const main =
    s.typing || text.text
      ? inputLines(s.typing ? text : { text: text.text, cursor: -1 }, width - 2 - 2 - textWidth(lead), 4, {
          prompt: '',
          placeholder: CLARIFY_TEXT.otherPlaceholder,
        })
          .map(
            (l, i): Line => [span(i === 0 && selected ? '› ' : '  ', theme.selected), span(i === 0 ? lead : ' '.repeat(lead.length)), ...l],
          )
          .flatMap((l) => wrapLine(l, width - 2, [span(' '.repeat(2 + lead.length))]))
      : [[span(selected ? '› ' : '  ', theme.selected), span(`${lead}${CLARIFY_TEXT.other}`, selected ? theme.selected : theme.dim)]];
  entries.push({ main: main.map(barred), desc: [], selected });
  return entries;
}

function reviewEntries(questions: readonly ClarifyQuestion[], s: ClarifyPick, width: number): Entry[] {
  const entries: Entry[] = questions.map((q, i) => {
    const selected = s.reviewRow === i;
    const a = s.answers[i];
    const line: Line = [
      span(selected ? '› ' : '  ', theme.selected),
      span(`${q.header || CLARIFY_TEXT.tab(i)} → `, selected ? theme.selected : theme.dim),
      a ? span(a.join(', ')) : span(CLARIFY_TEXT.noAnswer, theme.warn),
    ];
    return { main: wrapLine(line, width - 2, [span('    ')]).map(barred), desc: [], selected };
  });
  const selected = s.reviewRow === questions.length;
  entries.push({
    main: [barred([span(selected ? '› ' : '  ', theme.selected), span(CLARIFY_TEXT.submit, selected ? theme.selected : theme.ok)])],
    desc: [],
    selected,
  });
  return entries;
}

/** The entries' rows within `room`: descriptions first only for the highlighted row, then none, then a window around it. */
function fitEntries(entries: Entry[], room: number): Line[] {
  const all = (withDesc: (e: Entry) => boolean) => entries.flatMap((e) => [...e.main, ...(withDesc(e) ? e.desc : [])]);
  for (const pick of [() => true, (e: Entry) => e.selected, () => false]) {
    const rows = all(pick);
    if (rows.length <= room) return rows;
  }
  // A window of rows around the highlighted entry, with a line saying what is above or below.
  const flat = entries.flatMap((e) => e.main);
  const at = entries
    .slice(
      0,
      Math.max(
        0,
        entries.findIndex((e) => e.selected),
      ),
    )
    .reduce((n, e) => n + e.main.length, 0);
  let usable = Math.max(1, room);
  let start = 0;
  if (room < 3) {
    // No room to say what is hidden: the highlighted row alone.
    start = Math.min(at, flat.length - 1);
    return flat.slice(start, start + usable);
  }
  for (; usable > 1; usable--) {
    start = Math.max(0, Math.min(at - Math.floor((usable - 1) / 2), flat.length - usable));
    if (usable + (start > 0 ? 1 : 0) + (start + usable < flat.length ? 1 : 0) <= room) break;
  }
  start = Math.max(0, Math.min(at - Math.floor((usable - 1) / 2), flat.length - usable));
  const shown = flat.slice(start, start + usable);
  const below = flat.length - start - shown.length;
  return [
    ...(start > 0 ? [barred([span(CLARIFY_TEXT.moreAbove(start), theme.dim)])] : []),
    ...shown,
    ...(below > 0 ? [barred([span(CLARIFY_TEXT.moreBelow(below), theme.dim)])] : []),
  ];
}

function keysText(questions: readonly ClarifyQuestion[], s: ClarifyPick): string {
  const several = questions.length > 1;
  if (inReview(questions, s)) return CLARIFY_TEXT.keysReview;
  const q = questions[s.step]!;
  if (isFreeText(q)) return CLARIFY_TEXT.keysFree(several);
  if (isTyping(q, s)) return CLARIFY_TEXT.keysText(several);
  return q.multiSelect ? CLARIFY_TEXT.keysMulti(several) : CLARIFY_TEXT.keysSingle((q.options?.length ?? 0) + 1, several);
}

/**
 * The clarify picker, in the input's place: a title, the tabs of several questions, the current
 * question, its options (and "Other…"), or a text field, or the review; the keys at the foot.
 * Within `maxRows`: descriptions go first, then the title, then the question is clipped, then
 * the options scroll around the highlighted one.
 */
export function clarifyPickerLines(questions: readonly ClarifyQuestion[], s: ClarifyPick, width: number, maxRows: number): Line[] {
  const several = questions.length > 1;
  const review = inReview(questions, s);
  const title: Line = wrapLine([span('╭ ', theme.accent), span(CLARIFY_TEXT.title(questions.length), theme.accent)], width)[0]!;
  const tabs = several ? tabsLine(questions, s, width) : [];
  const q = review ? undefined : questions[s.step]!;
  const heading = review ? CLARIFY_TEXT.review : several ? q!.question : questionHeading(q!);
  // One column spare: a clipped question ends in an ellipsis.
  const questionRows = textLines(heading, width - 3, review ? theme.dim : undefined).map(barred);
  const footer = textLines(keysText(questions, s), width - 2, theme.dim).map((l, i) => [span(i === 0 ? '╰ ' : '  ', theme.accent), ...l]);
  let entries: Entry[];
  if (review) entries = reviewEntries(questions, s, width);
  else if (isFreeText(q!)) {
    const field = inputLines(s.texts[s.step]!, width - 4, 4, { prompt: '› ', placeholder: CLARIFY_TEXT.otherPlaceholder });
    // An empty field's placeholder is not wrapped by inputLines: narrow screens wrap it here.
    entries = [{ main: field.flatMap((l) => wrapLine(l, width - 2, [span('  ')])).map(barred), desc: [], selected: true }];
  } else entries = optionEntries(q!, s, width);

  const minBody = Math.min(
    entries.reduce((n, e) => n + e.main.length, 0),
    4,
  );
  let head = [title, ...tabs];
  let foot = footer;
  // Room first for the question and a few rows: the title goes first, then the keys keep one
  // row, then the tabs do, then they go too.
  const over = () => head.length + questionRows.length + minBody + foot.length > maxRows;
  if (over()) head = tabs.length ? tabs : [];
  if (over()) foot = footer.slice(0, 1);
  if (over()) head = head.slice(0, 1);
  if (over()) head = [];
  const qRoom = Math.max(1, maxRows - head.length - foot.length - minBody);
  const qShown =
    questionRows.length > qRoom
      ? questionRows.slice(0, qRoom).map((l, i) => (i === qRoom - 1 ? [...l, span('…', theme.dim)] : l))
      : questionRows;
  const room = Math.max(1, maxRows - head.length - qShown.length - foot.length);
  return [...head, ...qShown, ...fitEntries(entries, room), ...foot];
}
