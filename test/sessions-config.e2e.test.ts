import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetSessionResponse, HermesEvent, ListSessionsResponse } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api, removeHome, startTestDaemon, tempHome, type TestDaemon } from './support/daemon.js';

describe('hermes sessions', () => {
  let d: TestDaemon;
  let first: string;
  let second: string;
  const run = (args: string[]) => hermes(args, { home: d.home });
  beforeAll(async () => {
    d = await startTestDaemon();
    const a = await run(['send', '--title', 'first one', '--approve', 'yes', 'approve']);
    first = /session (\S+)/.exec(a.stderr)![1]!;
    const b = await run(['send', '--title', 'second', 'stream', '4']);
    second = /session (\S+)/.exec(b.stderr)![1]!;
  });
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('list: a table, most recent first; --json and --limit', async () => {
    const t = await run(['sessions', 'list']);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+TITLE\s+STATUS\s+MODEL\s+UPDATED\s+MSGS$/);
    expect(lines[1]).toMatch(new RegExp(`^${second}\\s+second\\s+idle\\s+\\S+\\s+just now\\s+2$`));
    expect(lines[2]).toContain(first);
    const j = await run(['sessions', 'list', '--json', '--limit', '1']);
    const parsed = ListSessionsResponse.parse(JSON.parse(j.stdout));
    expect(parsed.sessions.map((s) => s.id)).toEqual([second]);
  });

  it('show renders the transcript; --json is the API answer; prefixes and latest resolve', async () => {
    const s = await run(['sessions', 'show', first.slice(0, -2)]);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('first one');
    expect(s.stdout).toMatch(/▌ you #1\n {2}approve/);
    expect(s.stdout).toMatch(/▌ assistant\n {2}decision=once by=send/);
    expect(s.stdout).toMatch(/\? terminal: rm -rf build → once by send/);
    const j = await run(['sessions', 'show', 'latest', '--json']);
    expect(GetSessionResponse.parse(JSON.parse(j.stdout)).session.id).toBe(second);
    const none = await run(['sessions', 'show', 'zzz']);
    expect(none.code).toBe(2);
  });

  it('export md, json and jsonl (the whole event log, every line a protocol event)', async () => {
    const md = await run(['sessions', 'export', first, '--format', 'md']);
    expect(md.stdout).toMatch(/^# first one\n/);
    expect(md.stdout).toContain('## Assistant\n\ndecision=once by=send');
    const json = await run(['sessions', 'export', first, '--format', 'json']);
    const got = GetSessionResponse.parse(JSON.parse(json.stdout));
    const out = path.join(d.home, 'export.jsonl');
    const jl = await run(['sessions', 'export', first, '--format', 'jsonl', '-o', out]);
    expect(jl.code).toBe(0);
    const events = (await readFile(out, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((l) => HermesEvent.parse(JSON.parse(l)));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: got.lastSeq }, (_, i) => i + 1));
  });

  it('rename and rm', async () => {
    const r = await run(['sessions', 'rename', first, 'a', 'new', 'name']);
    expect(r.code).toBe(0);
    expect((await api.get(d.state, first)).session.title).toBe('a new name');
    const rm = await run(['sessions', 'rm', first]);
    expect(rm.code).toBe(0);
    const after = await run(['sessions', 'list', '--json']);
    expect(ListSessionsResponse.parse(JSON.parse(after.stdout)).sessions.map((s) => s.id)).not.toContain(first);
  });
});

describe('hermes config', () => {
  let home: string;
  const run = (args: string[]) => hermes(['config', ...args], { home });
  beforeAll(async () => {
    home = await tempHome();
  });
  afterAll(async () => {
    await removeHome(home);
  });

  it('set, get, list, unset, path; values parsed as JSON when they parse', async () => {
    expect((await run(['path'])).stdout).toBe(`${path.join(home, 'config.json')}\n`);
    expect((await run(['set', 'model', 'openai:gpt-4.1'])).code).toBe(0);
    expect((await run(['set', 'approvals.timeout', '30'])).code).toBe(0);
    expect((await run(['set', 'providers.local', '{"type":"openai","baseUrl":"http://127.0.0.1:1234/v1"}'])).code).toBe(0);
    expect((await run(['get', 'model'])).stdout).toBe('openai:gpt-4.1\n');
    expect(JSON.parse((await run(['get', 'approvals'])).stdout)).toEqual({ timeout: 30 });
    const list = await run(['list']);
    expect(list.stdout).toContain('approvals.timeout = 30');
    expect(list.stdout).toContain('providers.local.baseUrl = "http://127.0.0.1:1234/v1"');
    expect((await run(['unset', 'approvals.timeout'])).code).toBe(0);
    const file = JSON.parse(await readFile(path.join(home, 'config.json'), 'utf8'));
    expect(file).toEqual({ model: 'openai:gpt-4.1', providers: { local: { type: 'openai', baseUrl: 'http://127.0.0.1:1234/v1' } } });
    expect((await run(['get', 'approvals.mode'])).code).toBe(1);
  });

  it('rejects invalid values and unknown keys with exit 2, leaving the file untouched', async () => {
    const file = path.join(home, 'config.json');
    await writeFile(file, JSON.stringify({ model: 'openai:gpt-4.1' }));
    const before = await readFile(file, 'utf8');
    const bad = await run(['set', 'model', 'gpt-4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/provider:model/);
    expect(bad.stderr).toMatch(/at model/);
    const unknown = await run(['set', 'modle', 'openai:x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown config key "modle"; known here: model, /);
    const wrongType = await run(['set', 'approvals.mode', 'sometimes']);
    expect(wrongType.code).toBe(2);
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});
