// `hermes sessions list` paging and filtering, `hermes sessions search`, and the routes behind them.
import { ListSessionsResponse, SearchLine } from '@hermes/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hermes } from './support/cli.js';
import { api, rawRequest, readSse, removeHome, startTestDaemon, type TestDaemon } from './support/daemon.js';

describe('hermes sessions list and search at more than a page', () => {
  let d: TestDaemon;
  const ids: string[] = [];
  const run = (args: string[]) => hermes(args, { home: d.home });
  beforeAll(async () => {
    d = await startTestDaemon();
    for (let i = 0; i < 60; i++) ids.push((await api.createSession(d.state, { title: i === 7 ? 'Fix the LOGIN page' : `chore ${i}` })).id);
    // Two conversations to search; the second answers with the word too.
    for (const [id, text] of [
      [ids[3]!, 'say where is the needle in this haystack'],
      [ids[40]!, 'say a Needle again'],
    ] as const) {
      const sse = readSse(d.state, id);
      await api.post(d.state, id, text);
      await sse.until((e) => e.type === 'run.completed');
      sse.close();
    }
  }, 120_000);
  afterAll(async () => {
    await d.kill();
    await removeHome(d.home);
  });

  it('shows the 50 most recent by default and says how many are not shown', async () => {
    const t = await run(['sessions', 'list']);
    expect(t.code).toBe(0);
    const rows = t.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(50);
    // Most recent first: the two just written to, then the newest created.
    expect(rows[0]).toContain(ids[40]);
    expect(rows[1]).toContain(ids[3]);
    expect(rows[2]).toContain(ids[59]);
    expect(t.stderr).toContain('(50 of 60 shown; --all for every one, --limit N for more)');
  });

  it('-n 0 is a usage error, not "no sessions yet"', async () => {
    const t = await run(['sessions', 'list', '-n', '0']);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--limit must be at least 1/);
    expect(t.stderr).not.toMatch(/no sessions yet/);
  });

  it('--all, --limit N and --json', async () => {
    const all = await run(['sessions', 'list', '--all']);
    expect(all.stdout.trimEnd().split('\n').slice(1)).toHaveLength(60);
    expect(all.stderr).toBe('');
    const j = await run(['sessions', 'list', '--limit', '5', '--json']);
    const parsed = ListSessionsResponse.parse(JSON.parse(j.stdout));
    expect(parsed.sessions.map((s) => s.id)).toEqual([ids[40], ids[3], ids[59], ids[58], ids[57]]);
    expect(parsed.total).toBe(60);
  });

  it('--search matches titles and first messages, case-insensitively', async () => {
    const t = await run(['sessions', 'list', '--search', 'login']);
    expect(t.stdout).toContain(ids[7]);
    expect(t.stdout.trimEnd().split('\n')).toHaveLength(2);
    const byMessage = await run(['sessions', 'list', '--search', 'HAYSTACK', '--json']);
    expect(ListSessionsResponse.parse(JSON.parse(byMessage.stdout)).sessions.map((s) => s.id)).toEqual([ids[3]]);
    const none = await run(['sessions', 'list', '--search', 'nothing like this']);
    expect(none.code).toBe(0);
    expect(none.stderr).toMatch(/no session title or first message matches "nothing like this"/);
  });

  it('sessions search: every message, newest sessions first, streamed; exit 1 on no match', async () => {
    const t = await run(['sessions', 'search', 'needle']);
    expect(t.code).toBe(0);
    const first = t.stdout.indexOf(ids[40]!);
    const second = t.stdout.indexOf(ids[3]!);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);
    expect(t.stdout).toContain('where is the needle in this haystack');
    expect(t.stderr).toMatch(/4 matches in 60 sessions searched/);
    const j = await run(['sessions', 'search', 'NEEDLE', '--json', '--limit', '3']);
    const lines = j.stdout
      .trimEnd()
      .split('\n')
      .map((l) => SearchLine.parse(JSON.parse(l)));
    expect(lines.filter((l) => l.type === 'hit')).toHaveLength(3);
    expect(lines.at(-1)).toMatchObject({ type: 'end', hits: 3, truncated: true });
    expect(lines.filter((l) => l.type === 'hit').map((l) => (l.type === 'hit' ? l.role : ''))).toEqual(['user', 'assistant', 'user']);
    const none = await run(['sessions', 'search', 'zebra crossing']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no message matches "zebra crossing"/);
  });

  it('the routes answer bad parameters with 400 and a message', async () => {
    for (const q of ['limit=0', 'limit=x', 'before=%2e%2e', `q=${'x'.repeat(600)}`]) {
      const r = await rawRequest(d.state, 'GET', `/v1/sessions?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json().error.message.length).toBeGreaterThan(5);
    }
    expect((await rawRequest(d.state, 'GET', '/v1/search')).status).toBe(400);
    expect((await rawRequest(d.state, 'GET', '/v1/search?q=a&limit=0')).status).toBe(400);
    expect((await rawRequest(d.state, 'POST', '/v1/search', { body: '{}' })).status).toBe(405);
  });
});
