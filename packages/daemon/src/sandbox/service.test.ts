import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SandboxService } from './index.js';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'hermes-sbx-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const missing = {
  ok: false as const,
  kind: 'none' as const,
  reason: 'bubblewrap (bwrap) is not installed',
  hint: 'Install bubblewrap (…)',
};
const working = { ok: true as const, kind: 'bwrap' as const, program: '/usr/bin/bwrap', version: '0.8.0' };

describe('SandboxService modes', () => {
  it('on without a working sandbox: every command is refused with the reason and the hint', async () => {
    const s = await SandboxService.start(home, missing);
    const run = s.forRun({ sandbox: { mode: 'on' } }, 'ses_a', home);
    expect(run.active).toBe(false);
    const r = await run.prepare('ls', home, {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/sandbox\.mode is on.*not installed.*Install bubblewrap/);
    expect(s.status({ sandbox: { mode: 'on' } }).policy).toMatch(/refused/);
  });

  it('auto without one: commands run unconfined, a notice once per session, the strict policy named', async () => {
    const s = await SandboxService.start(home, missing);
    const run = s.forRun({}, 'ses_a', home);
    expect(run.active).toBe(false);
    expect(await run.prepare('ls', home, {})).toEqual({ ok: true, plan: null });
    expect(s.fallbackNotice({}, 'ses_a')).toMatch(
      /without a sandbox: bubblewrap \(bwrap\) is not installed\. Every command that is not read-only will ask/,
    );
    expect(s.fallbackNotice({}, 'ses_a')).toBeNull();
    expect(s.fallbackNotice({}, 'ses_b')).not.toBeNull();
    const st = s.status({});
    expect(st).toMatchObject({ mode: 'auto', active: false, reason: missing.reason, hint: missing.hint });
    expect(st.policy).toMatch(/every command that is not on the read-only list asks/);
    expect(s.status({ approvals: { mode: 'auto' } }).policy).toMatch(/only commands flagged/);
  });

  it('off: never confined, never a notice, even when the sandbox works', async () => {
    const s = await SandboxService.start(home, working);
    const run = s.forRun({ sandbox: { mode: 'off' } }, 'ses_a', home);
    expect(run.active).toBe(false);
    expect(await run.prepare('ls', home, {})).toEqual({ ok: true, plan: null });
    expect(s.fallbackNotice({ sandbox: { mode: 'off' } }, 'ses_a')).toBeNull();
    expect(s.status({ sandbox: { mode: 'off' } })).toMatchObject({ active: false, reason: 'sandbox.mode is off' });
  });

  it('a working sandbox refuses a workspace inside HERMES_HOME rather than half-hiding it', async () => {
    const s = await SandboxService.start(home, working);
    const run = s.forRun({}, 'ses_a', home);
    expect(run.active).toBe(true);
    const r = await run.prepare('ls', home, {});
    expect(!r.ok && r.message).toMatch(/cannot be sandboxed: the workspace .* is inside a hidden path|inside HERMES_HOME/);
  });
});
