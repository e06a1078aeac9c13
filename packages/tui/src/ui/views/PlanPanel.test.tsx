import type { Todo } from '@hermes/protocol';
import { render } from 'ink-testing-library';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Chat } from '../Chat.js';
import { base, ev, fakeStore, strip, tick, waitFor } from '../testing/fake-store.test-helpers.js';
import { planLines } from './PlanPanel.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-plan-test-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const SIZE = { columns: 80, rows: 24 };
const plan = (todos: Todo[], id = 't1') => ev({ type: 'plan.updated', runId: 'r1', data: { todos, toolCallId: id } });
const STEPS: Todo[] = [
  { content: 'Read the parser', status: 'in_progress' },
  { content: 'Fix the off-by-one', status: 'pending' },
  { content: 'Add a regression test', status: 'pending' },
];
const text = (lines: ReturnType<typeof planLines>) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

describe('the plan panel (TUI)', () => {
  it('shows the plan above the input, ticks as plan.updated arrives, and ctrl+t collapses it to one line', async () => {
    const f = fakeStore([...base(), plan(STEPS)]);
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    let out = strip(r.lastFrame());
    expect(out).toContain('☰ plan 0/3');
    expect(out).toContain('◐ Read the parser');
    expect(out).toContain('○ Add a regression test');
    // Above the input line.
    expect(out.indexOf('○ Add a regression test')).toBeLessThan(out.lastIndexOf('› '));

    f.store.push([plan([{ ...STEPS[0]!, status: 'completed' }, { ...STEPS[1]!, status: 'in_progress' }, STEPS[2]!], 't2')]);
    await waitFor(() => strip(r.lastFrame()).includes('plan 1/3'), 'the plan to tick');
    out = strip(r.lastFrame());
    expect(out).toContain('✔ Read the parser');
    expect(out).toContain('◐ Fix the off-by-one');

    r.stdin.write('\x14'); // ctrl+t
    await waitFor(() => !strip(r.lastFrame()).includes('○ Add a regression test'), 'the panel to collapse');
    out = strip(r.lastFrame());
    expect(out).toContain('☰ plan 1/3 · ◐ Fix the off-by-one · ctrl+t shows the plan');
    expect(out).not.toContain('✔ Read the parser');
    r.stdin.write('\x14');
    await waitFor(() => strip(r.lastFrame()).includes('✔ Read the parser'), 'the panel to expand again');
    r.unmount();
  });

  it('a finished plan goes away when the run ends; an empty list clears it; ctrl+t without a plan says so', async () => {
    const done = STEPS.map((s) => ({ ...s, status: 'completed' as const }));
    const f = fakeStore([...base(), plan(done)]);
    const r = render(<Chat store={f.asStore} home={home} size={SIZE} />);
    await tick();
    expect(strip(r.lastFrame())).toContain('☰ plan 3/3');
    f.store.push([ev({ type: 'run.completed', runId: 'r1', data: { stopReason: 'done', usage: { inputTokens: 1, outputTokens: 1 } } })]);
    await waitFor(() => !strip(r.lastFrame()).includes('☰ plan'), 'the finished plan to go');
    r.stdin.write('\x14');
    await tick();
    expect(strip(r.lastFrame())).not.toContain('no plan yet');
    f.store.push([plan([], 't3')]);
    r.stdin.write('\x14');
    await waitFor(() => strip(r.lastFrame()).includes('no plan yet'), 'the hint');
    r.unmount();
  });

  it('a long plan keeps the current item in view within its rows; a hostile todo cannot draw on the screen', () => {
    const many: Todo[] = Array.from({ length: 30 }, (_, i) => ({
      content: `step ${i}`,
      status: i < 20 ? 'completed' : i === 20 ? 'in_progress' : 'pending',
    }));
    const lines = planLines(many, { width: 60, collapsed: false, maxRows: 6, running: true });
    expect(lines.length).toBeLessThanOrEqual(6);
    const shown = text(lines);
    expect(shown).toContain('plan 20/30');
    expect(shown).toContain('◐ step 20');
    expect(shown).toMatch(/… \d+ above/);
    expect(shown).toMatch(/… \d+ more/);
    const evil = planLines([{ content: `x\x1b[2J\x1b[Hgotcha\nsecond line ${'w'.repeat(200)}`, status: 'pending' }], {
      width: 40,
      collapsed: false,
      maxRows: 6,
      running: true,
    });
    expect(text(evil)).not.toContain('\x1b');
    expect(evil).toHaveLength(2);
    for (const l of evil) expect(l.map((s) => s.text).join('').length).toBeLessThanOrEqual(40);
  });
});
